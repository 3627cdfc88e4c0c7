import { isPdvError, PdvError } from "@pagerduty-voys/core";
import { describe, expect, it } from "vitest";
import { renderAck, VOYS_ERROR_CODES, VoysAdapterError } from "./index.js";

describe("VoysAdapterError", () => {
  it("is a core PdvError with a stable code and its own name", () => {
    let thrown: unknown;
    try {
      renderAck("not a number");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(VoysAdapterError);
    expect(thrown).toBeInstanceOf(PdvError);
    expect(isPdvError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ name: "VoysAdapterError", code: VOYS_ERROR_CODES.INVALID_DESTINATION });
  });

  it("keeps its cause", () => {
    const cause = new Error("root");
    expect(new VoysAdapterError(VOYS_ERROR_CODES.INVALID_DESTINATION, "m", { cause }).cause).toBe(cause);
  });
});
