/**
 * graphql-js quotes the offending value in many of its messages ("Int cannot represent non-integer
 * value: "Amina"", "Syntax Error: Unexpected Name "Amina"."). A value may be a person's data, and
 * messages travel further than the request (proxies, partner logs): Harbour's answers name the
 * field or the position, never the value.
 */
const QUOTED = String.raw`"(?:[^"\\]|\\.)*"`;

const REWRITES: readonly [RegExp, string][] = [
  // 'Variable "$f" got invalid value { knd: "X" }; Field "knd" is not defined by type …'
  [
    /^(Variable "\$\w+") got invalid value .*?(?=; (?:Field "|Expected |\w+ cannot represent|Value ")|$)/s,
    '$1 got an invalid value',
  ],
  // "Int cannot represent non-integer value: 1.5", "Enum "E" cannot represent non-enum value: "A". Did you mean …"
  [/(cannot represent [^:]*?value)s?: .*$/s, '$1.'],
  // "Expected value of type "Int!", found "abc"; …"
  [/(Expected value of type "[^"]+"), found .*$/s, '$1, found another value.'],
  // "Value "Amina" does not exist in "E" enum."
  [new RegExp(`^Value ${QUOTED} does not exist in`, 's'), 'The value does not exist in'],
  // "Syntax Error: Unexpected Name "Amina"." / "Expected Name, found String "abc"." / "…digit after 0: "1"."
  [new RegExp(`^(Syntax Error: [^"]*?)(?::\\s*)?\\s*${QUOTED}.*$`, 's'), '$1.'],
];

export function withoutRawInput(message: string): string {
  return REWRITES.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), message).replace(
    /\.\.$/,
    '.',
  );
}
