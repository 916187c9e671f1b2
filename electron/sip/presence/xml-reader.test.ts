import { describe, expect, it } from 'vitest';
import { XML_NAMESPACE, XmlError, attribute, childElements, firstChild, readXml, type XmlErrorCode } from './xml-reader.js';

/** The reader's error code for `input`, failing the test if it parses or throws anything else. */
function errorCode(input: string, limits?: Parameters<typeof readXml>[1]): XmlErrorCode {
  try {
    readXml(input, limits);
  } catch (err) {
    expect(err).toBeInstanceOf(XmlError);
    return (err as XmlError).code;
  }
  throw new Error('expected the reader to refuse the input');
}

describe('readXml: namespaces', () => {
  it('resolves prefixes, the default namespace and its undeclaration, scoped per element', () => {
    const root = readXml(
      '<a xmlns="urn:a" xmlns:p="urn:p"><p:b x="1" p:y="2"/><c xmlns="urn:c"><d/></c><e xmlns=""/><p:f xmlns:p="urn:p2"/></a>',
    );
    expect([root.ns, root.name]).toEqual(['urn:a', 'a']);
    const [b, c, e, f] = root.children;
    expect([b!.ns, b!.name]).toEqual(['urn:p', 'b']);
    expect(b!.attributes).toEqual([
      { ns: '', name: 'x', value: '1' },
      { ns: 'urn:p', name: 'y', value: '2' },
    ]);
    expect(c!.ns).toBe('urn:c');
    expect(c!.children[0]!.ns).toBe('urn:c');
    expect(e!.ns).toBe('');
    expect(f!.ns).toBe('urn:p2');
    // Namespace declarations are not attributes.
    expect(root.attributes).toEqual([]);
  });

  it('knows the xml prefix without a declaration', () => {
    const root = readXml('<n xml:lang="de">Hallo</n>');
    expect(attribute(root, 'lang', XML_NAMESPACE)).toBe('de');
    expect(attribute(root, 'lang')).toBeUndefined();
  });

  it('refuses undeclared prefixes, mismatched end tags, reserved bindings and duplicate expanded names', () => {
    expect(errorCode('<p:a/>')).toBe('namespace');
    expect(errorCode('<a xmlns:p="urn:p"><p:b></q:b></a>')).toBe('malformed');
    expect(errorCode('<a:x xmlns:a="urn:a" xmlns:b="urn:a"></b:x>')).toBe('malformed');
    expect(errorCode('<a xmlns:xmlns="urn:x"/>')).toBe('namespace');
    expect(errorCode('<a xmlns:xml="urn:not-xml"/>')).toBe('namespace');
    expect(errorCode('<a xmlns:p=""/>')).toBe('namespace');
    expect(errorCode('<a xmlns:p="urn:x" xmlns:q="urn:x" p:k="1" q:k="2"/>')).toBe('namespace');
    expect(errorCode('<a k="1" k="2"/>')).toBe('malformed');
    expect(errorCode('<a:b:c xmlns:a="urn:a"/>')).toBe('namespace');
  });
});

describe('readXml: character data', () => {
  it('resolves the five predefined entities and character references, in text and attributes', () => {
    const root = readXml('<a v="&lt;&amp;&gt;&quot;&apos;&#65;&#x42;">&lt;&amp;&gt;&quot;&apos;&#233;&#x1F600;</a>');
    expect(attribute(root, 'v')).toBe(`<&>"'AB`);
    expect(root.text).toBe(`<&>"'é😀`);
  });

  it('keeps CDATA literally and joins it with the surrounding text; skips comments and PIs', () => {
    const root = readXml('<?xml version="1.0"?><!-- c --><a>one <![CDATA[<two> & ]]><!-- x --><?pi data?>three</a><!-- end -->');
    expect(root.text).toBe('one <two> & three');
    expect(root.children).toEqual([]);
  });

  it('normalises line ends, and attribute white space to spaces (except what references produce)', () => {
    const root = readXml('<a v="x\r\ny\tz&#10;">l1\r\nl2\rl3</a>');
    expect(root.text).toBe('l1\nl2\nl3');
    expect(attribute(root, 'v')).toBe('x y z\n');
  });

  it('accepts a byte order mark and white space around the root', () => {
    expect(readXml('\ufeff<?xml version="1.0" encoding="UTF-8"?>\n\n<a/>\n').name).toBe('a');
  });

  it('refuses entities it does not know, broken references and characters XML does not allow', () => {
    expect(errorCode('<a>&nbsp;</a>')).toBe('entity');
    expect(errorCode('<a>fish & chips</a>')).toBe('entity');
    expect(errorCode('<a>&#xZZ;</a>')).toBe('entity');
    expect(errorCode('<a>&#0;</a>')).toBe('bad-char');
    expect(errorCode('<a>&#xD800;</a>')).toBe('bad-char');
    expect(errorCode('<a>&#x110000;</a>')).toBe('bad-char');
    expect(errorCode('<a>\u0001</a>')).toBe('bad-char');
    expect(errorCode('<a>\u001b[31m</a>')).toBe('bad-char');
    expect(errorCode('<a>\uffff</a>')).toBe('bad-char');
    expect(errorCode('<a>\ud800</a>')).toBe('bad-char');
    expect(errorCode('<a v="\u0000"/>')).toBe('bad-char');
    // A correct surrogate pair is a character like any other.
    expect(readXml('<a>\ud83d\ude00</a>').text).toBe('😀');
  });
});

describe('readXml: structure', () => {
  it('builds children in order and the helpers find them by namespace and name', () => {
    const root = readXml('<r xmlns:x="urn:x"><i>1</i><x:i>2</x:i><i>3</i></r>');
    expect(childElements(root, '', 'i').map((e) => e.text)).toEqual(['1', '3']);
    expect(firstChild(root, 'urn:x', 'i')?.text).toBe('2');
    expect(firstChild(root, 'urn:y', 'i')).toBeUndefined();
  });

  it.each([
    ['', 'malformed'],
    ['   ', 'malformed'],
    ['just text', 'malformed'],
    ['<a>', 'malformed'],
    ['<a><b></a>', 'malformed'],
    ['</a>', 'malformed'],
    ['<a></a><b></b>', 'malformed'],
    ['<a/>trailing', 'malformed'],
    ['<a b></a>', 'malformed'],
    ['<a b=c/>', 'malformed'],
    ['<a b="1"c="2"/>', 'malformed'],
    ['<a b="<"/>', 'malformed'],
    ['<a b="unterminated/>', 'malformed'],
    ['<a><!-- never closed </a>', 'malformed'],
    ['<a><![CDATA[ never closed </a>', 'malformed'],
    ['<![CDATA[x]]><a/>', 'malformed'],
    ['<a><?pi never closed</a>', 'malformed'],
    ['<a/><?xml version="1.0"?>', 'malformed'],
    ['<a><!ELEMENT a ANY></a>', 'malformed'],
    ['<1a/>', 'malformed'],
    ['<a></a >', null],
  ] as const)('%j -> %s', (input, code) => {
    if (code === null) expect(readXml(input).name).toBe('a');
    else expect(errorCode(input)).toBe(code);
  });
});

describe('readXml: hostile input', () => {
  it('refuses an external entity before reading anything from anywhere', () => {
    const xxe = '<?xml version="1.0"?>\n<!DOCTYPE presence [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<presence>&xxe;</presence>';
    expect(errorCode(xxe)).toBe('doctype');
  });

  it('refuses billion laughs at the DOCTYPE, and an entity used without one is merely undefined', () => {
    const lol = ['<!DOCTYPE lolz [', '<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) lol.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
    lol.push(']>', '<lolz>&lol9;</lolz>');
    expect(errorCode(lol.join('\n'))).toBe('doctype');
    expect(errorCode('<lolz>&lol9;</lolz>')).toBe('entity');
  });

  it('refuses a 10 MB body by its size alone, whatever it holds', () => {
    // A DOCTYPE at the front would be refused as 'doctype' if anything were parsed first.
    const body = '<!DOCTYPE x [<!ENTITY a SYSTEM "file:///etc/passwd">]>' + '<a>'.repeat(3_500_000);
    expect(body.length).toBeGreaterThan(10_000_000);
    expect(errorCode(body)).toBe('too-large');
  });

  it('counts UTF-8 bytes, not characters: 30k three-byte characters exceed 64 KiB', () => {
    const text = '\u20ac'.repeat(30_000);
    expect(errorCode(`<a>${text}</a>`)).toBe('too-large');
    expect(readXml(`<a>${text}</a>`, { maxBytes: 100_000 }).text).toHaveLength(30_000);
  });

  it('stops 100k levels of nesting at the depth limit (no stack overflow)', () => {
    const deep = '<a>'.repeat(100_000) + '</a>'.repeat(100_000);
    expect(errorCode(deep, { maxBytes: 1_000_000 })).toBe('too-deep');
    expect(errorCode('<a>'.repeat(33) + '</a>'.repeat(33))).toBe('too-deep');
    expect(readXml('<a>'.repeat(32) + '</a>'.repeat(32)).name).toBe('a');
  });

  it('bounds the number of elements and of attributes per element', () => {
    expect(errorCode(`<r>${'<e/>'.repeat(5000)}</r>`)).toBe('too-many-elements');
    expect(errorCode(`<r>${'<e/>'.repeat(50)}</r>`, { maxElements: 50 })).toBe('too-many-elements');
    const attrs = Array.from({ length: 33 }, (_, i) => `a${i}="v"`).join(' ');
    expect(errorCode(`<r ${attrs}/>`)).toBe('too-many-attributes');
  });

  it('stays linear on inputs built to make naive scanners quadratic', () => {
    // Many text runs with no '&' or CR anywhere after them, and a '&' run without ';'.
    const runs = `<r>${'<e>t</e>'.repeat(4000)}</r>`;
    expect(readXml(runs, { maxElements: 5000 }).children).toHaveLength(4000);
    expect(errorCode(`<r>${'&'.repeat(60_000)}</r>`)).toBe('entity');
    expect(errorCode(`<r a="${'&amp'.repeat(15_000)}"/>`)).toBe('entity');
  });

  it('throws only XmlError for non-string input smuggled past the types', () => {
    expect(errorCode(undefined as unknown as string)).toBe('malformed');
    expect(errorCode({ length: 3 } as unknown as string)).toBe('malformed');
  });
});
