// web-ext ships no types; this declares the one call the tests make.
declare module 'web-ext' {
  interface LintResult {
    summary: { errors: number; warnings: number; notices: number };
    errors: unknown[];
    warnings: unknown[];
  }
  const webExt: {
    cmd: {
      lint(
        params: { sourceDir: string; output?: 'json' | 'text'; selfHosted?: boolean; boring?: boolean; warningsAsErrors?: boolean },
        options?: { shouldExitProgram?: boolean },
      ): Promise<LintResult>;
    };
  };
  export default webExt;
}
