import { AddressPolicy, MAX_URL_LENGTH, checkWebhookUrl, type UrlRefusal } from '@harbour/webhooks';

const policy = new AddressPolicy();
const production = { production: true, addressPolicy: policy };
const development = { production: false, addressPolicy: policy };
// A development machine whose receivers listen on loopback.
const developmentWithLoopback = { production: false, addressPolicy: new AddressPolicy(['127.0.0.0/8', '::1/128']) };

const LONGEST = `https://hooks.example.com/${'a'.repeat(MAX_URL_LENGTH - 'https://hooks.example.com/'.length)}`;

describe(checkWebhookUrl.name, () => {
  it.each([
    ['https://hooks.example.com/harbour', 'https://hooks.example.com/harbour'],
    ['https://hooks.example.com:8443/in?token=abc&x=1', 'https://hooks.example.com:8443/in?token=abc&x=1'],
    ['https://HOOKS.Example.COM/Path', 'https://hooks.example.com/Path'],
    ['https://hooks.example.com.', 'https://hooks.example.com./'],
    ['https://my_hooks.example.com/', 'https://my_hooks.example.com/'],
    ['https://ñandú.example/', 'https://xn--and-6ma2c.example/'],
    ['https://93.184.215.14/hook', 'https://93.184.215.14/hook'],
    ['https://[2606:4700:4700::1111]/hook', 'https://[2606:4700:4700::1111]/hook'],
    ['https://hooks.example.com/a%20b', 'https://hooks.example.com/a%20b'],
    [LONGEST, LONGEST],
  ])('accepts %s in production', (text, href) => {
    const checked = checkWebhookUrl(text, production);
    expect(checked).toEqual({ ok: true, url: expect.any(URL) });
    expect(checked.ok && checked.url.href).toBe(href);
  });

  const refusals: [string, UrlRefusal][] = [
    ['', 'INVALID'],
    ['hooks.example.com/harbour', 'INVALID'],
    ['/harbour', 'INVALID'],
    ['https://', 'INVALID'],
    ['not a url', 'INVALID'],
    [' https://hooks.example.com/', 'INVALID'],
    ['https://hooks.example.com/\n', 'INVALID'],
    ['https://hooks.exa\tmple.com/', 'INVALID'],
    ['https://hooks.example.com/a b', 'INVALID'],
    ['https:\\\\hooks.example.com/', 'INVALID'],
    ['https://evil.example\\@hooks.example.com/', 'INVALID'],
    ['https://hooks.example.com/\u0000', 'INVALID'],
    [`${LONGEST}a`, 'TOO_LONG'],
    ['ftp://hooks.example.com/', 'SCHEME'],
    ['file:///etc/passwd', 'SCHEME'],
    ['javascript:alert(1)', 'SCHEME'],
    ['wss://hooks.example.com/', 'SCHEME'],
    ['http://hooks.example.com/', 'SCHEME'],
    ['http://localhost:3000/', 'SCHEME'],
    ['http://127.0.0.1/', 'SCHEME'],
    ['http://[::1]/', 'SCHEME'],
    ['https://user:s3cret@hooks.example.com/', 'CREDENTIALS'],
    ['https://user@hooks.example.com/', 'CREDENTIALS'],
    ['https://:s3cret@hooks.example.com/', 'CREDENTIALS'],
    ['https://@hooks.example.com/', 'CREDENTIALS'],
    ['https://hooks.example.com/#section', 'FRAGMENT'],
    ['https://hooks.example.com/in?x=1#', 'FRAGMENT'],
    ['https://intranet/', 'HOST'],
    ['https://localhost/', 'HOST'],
    ['https://hooks..example.com/', 'HOST'],
    ['https://127.0.0.1/', 'ADDRESS_REFUSED'],
    ['https://127.0.0.1:8443/', 'ADDRESS_REFUSED'],
    // The URL parser reads these spellings as 127.0.0.1.
    ['https://2130706433/', 'ADDRESS_REFUSED'],
    ['https://0x7f.1/', 'ADDRESS_REFUSED'],
    ['https://0177.0.0.1/', 'ADDRESS_REFUSED'],
    ['https://127.1/', 'ADDRESS_REFUSED'],
    ['https://[::1]/', 'ADDRESS_REFUSED'],
    ['https://[::ffff:127.0.0.1]/', 'ADDRESS_REFUSED'],
    ['https://[0:0:0:0:0:0:0:1]/', 'ADDRESS_REFUSED'],
    ['https://169.254.169.254/latest/meta-data/', 'ADDRESS_REFUSED'],
    ['https://10.0.0.1/', 'ADDRESS_REFUSED'],
    ['https://192.168.1.1/', 'ADDRESS_REFUSED'],
    ['https://100.64.0.1/', 'ADDRESS_REFUSED'],
    ['https://0.0.0.0/', 'ADDRESS_REFUSED'],
    ['https://[fd00::1]/', 'ADDRESS_REFUSED'],
    ['https://[fe80::1]/', 'ADDRESS_REFUSED'],
    ['https://[64:ff9b::a9fe:a9fe]/', 'ADDRESS_REFUSED'],
  ];

  it.each(refusals)('refuses %p in production: %s', (text, reason) => {
    expect(checkWebhookUrl(text, production)).toEqual({ ok: false, reason, message: expect.any(String) });
  });

  it('names the field and never repeats the URL in its messages', () => {
    for (const [text] of refusals) {
      const checked = checkWebhookUrl(text, { ...production, field: 'input.url' });
      if (checked.ok) throw new Error(`accepted ${text}`);
      expect(checked.message).toMatch(/^input\.url (must|must not) /);
      expect(checked.message).not.toMatch(/example|s3cret|127\.0|169\.254|token|passwd|alert/);
    }
    const checked = checkWebhookUrl('ftp://hooks.example.com/', production);
    expect(!checked.ok && checked.message).toBe('url must be an absolute https: URL');
  });

  describe('outside production', () => {
    it.each([
      'http://localhost:3000/hooks',
      'http://localhost/',
      'http://127.0.0.1:8080/hooks?token=x',
      'http://127.0.0.2/',
      'http://[::1]:8080/',
      'http://[::ffff:127.0.0.1]/',
      'https://localhost:8443/',
      'https://hooks.example.com/',
    ])('accepts %s when loopback is an allowed network', (text) => {
      expect(checkWebhookUrl(text, developmentWithLoopback)).toMatchObject({ ok: true });
    });

    it.each([
      ['http://hooks.example.com/', 'SCHEME'],
      ['http://localhost.example.com/', 'SCHEME'],
      ['http://10.0.0.1/', 'SCHEME'],
      ['http://[64:ff9b::7f00:1]/', 'SCHEME'],
      ['http://user@localhost/', 'CREDENTIALS'],
      ['http://localhost/#x', 'FRAGMENT'],
    ])('still refuses %s: %s', (text, reason) => {
      expect(checkWebhookUrl(text, developmentWithLoopback)).toMatchObject({ ok: false, reason });
    });

    it('checks loopback addresses against the address policy too', () => {
      expect(checkWebhookUrl('http://127.0.0.1:8080/', development)).toMatchObject({
        ok: false,
        reason: 'ADDRESS_REFUSED',
      });
      // A name is checked once resolved, at delivery.
      expect(checkWebhookUrl('http://localhost:8080/', development)).toMatchObject({ ok: true });
    });
  });

  it('accepts a private address inside an allowed network', () => {
    const partnerNetwork = { production: true, addressPolicy: new AddressPolicy(['10.20.0.0/16']) };
    expect(checkWebhookUrl('https://10.20.1.5/hooks', partnerNetwork)).toMatchObject({ ok: true });
    expect(checkWebhookUrl('https://10.21.1.5/hooks', partnerNetwork)).toMatchObject({
      ok: false,
      reason: 'ADDRESS_REFUSED',
    });
  });
});
