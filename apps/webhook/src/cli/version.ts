import { version } from "../../package.json";

/** The app's version, inlined from package.json at build time. */
export const VERSION: string = version;
