// Integration tests drive real servers with second-scale deadlines: give them time (testTimeout is not a per-project option).
jest.setTimeout(120_000);
