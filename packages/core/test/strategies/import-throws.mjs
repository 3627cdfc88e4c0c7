// A test strategy module that fails while it is imported.
throw new Error("cannot find package 'left-pad'");
