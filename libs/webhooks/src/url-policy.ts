/**
 * Which URLs may be webhook endpoints: checked when an endpoint is saved (the messages name the
 * input field, for a BAD_USER_INPUT) and again at every delivery, as configuration may have
 * changed since.
 *
 * An endpoint is an absolute `https:` URL of at most 2,048 characters, any port, without user name
 * or password and without fragment. `http:` is accepted only outside production and only to the
 * local machine (`localhost` or a loopback address), for development receivers. A host is a
 * domain name with at least one dot, or an IP address, which is checked against the address policy
 * here already (a name is checked once resolved, at delivery). The WHATWG parser reads odd IPv4
 * spellings (`2130706433`, `0x7f.1`, `127.1`) as the address they mean, so they are checked as
 * such. Messages never repeat the URL: its path and query may hold a partner's token.
 */
import { isIP } from 'node:net';
import { isLoopbackAddress, type AddressPolicy } from './address-policy';

export const MAX_URL_LENGTH = 2048;

export type UrlRefusal = 'INVALID' | 'TOO_LONG' | 'SCHEME' | 'CREDENTIALS' | 'FRAGMENT' | 'HOST' | 'ADDRESS_REFUSED';

export type UrlCheck =
  | { readonly ok: true; readonly url: URL }
  | { readonly ok: false; readonly reason: UrlRefusal; readonly message: string };

export interface UrlPolicyOptions {
  /** In production `http:` is never accepted. */
  readonly production: boolean;
  readonly addressPolicy: AddressPolicy;
  /** The input field named in messages; `url` unless told. */
  readonly field?: string;
}

/** The address of an IP-literal host (IPv6 without its brackets), or undefined for a name. */
export function hostAddress(url: URL): string | undefined {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return isIP(host) === 0 ? undefined : host;
}

/** Whether the URL's host is the local machine by its very spelling: `localhost` or a loopback address. */
function isLoopbackHost(url: URL): boolean {
  const address = hostAddress(url);
  return address === undefined ? url.hostname === 'localhost' : isLoopbackAddress(address);
}

export function checkWebhookUrl(text: string, options: UrlPolicyOptions): UrlCheck {
  const field = options.field ?? 'url';
  const refuse = (reason: UrlRefusal, message: string): UrlCheck => ({
    ok: false,
    reason,
    message: `${field} ${message}`,
  });
  if (typeof text !== 'string' || text === '') return refuse('INVALID', 'must be an absolute https: URL');
  if (text.length > MAX_URL_LENGTH) return refuse('TOO_LONG', `must be at most ${MAX_URL_LENGTH} characters long`);
  // The parser would quietly drop or rewrite these; another parser might not.
  if (/[\s\\\p{Cc}]/u.test(text)) {
    return refuse('INVALID', 'must not contain spaces, backslashes or control characters');
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse('INVALID', 'must be an absolute https: URL');
  }
  if (url.protocol === 'http:') {
    if (options.production || !isLoopbackHost(url)) {
      return refuse('SCHEME', 'must use https: (http: is accepted only for localhost outside production)');
    }
  } else if (url.protocol !== 'https:') {
    return refuse('SCHEME', 'must be an absolute https: URL');
  }
  if (url.username !== '' || url.password !== '' || /^https?:\/\/[^/?#]*@/i.test(text)) {
    return refuse('CREDENTIALS', 'must not contain a user name or password');
  }
  if (text.includes('#')) return refuse('FRAGMENT', 'must not contain a fragment (#…)');
  const address = hostAddress(url);
  if (address === undefined) {
    const name = url.hostname.replace(/\.$/, '');
    const local = name === 'localhost' && !options.production;
    if (!local && !/^[a-z0-9_-]+(\.[a-z0-9_-]+)+$/.test(name)) {
      return refuse('HOST', 'must name a fully qualified host (a domain name with a dot, or an IP address)');
    }
  } else if (!options.addressPolicy.check(address).allowed) {
    return refuse('ADDRESS_REFUSED', 'must not point to a private, local or reserved address');
  }
  return { ok: true, url };
}
