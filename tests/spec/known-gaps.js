// Spec directives compoly does not pass yet, each investigated, grouped by
// cause. tests/js/spec-wast.test.js marks them `todo` (reported, not failing
// the suite) and says when one starts passing so that it can be removed.
// Keys are `folder/file.wast:line` of the directive.

const GAPS = [
  // None at the moment. An entry: { cause: '...', at: ['folder/file.wast', [line, ...]] }.
];

/** Map from `folder/file.wast:line` to the cause. */
export const KNOWN_GAPS = new Map();
for (const gap of GAPS) {
  const groups = typeof gap.at[0] === 'string' ? [gap.at] : gap.at;
  for (const [file, lines] of groups) for (const line of lines) KNOWN_GAPS.set(`${file}:${line}`, gap.cause);
}
