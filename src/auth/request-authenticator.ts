import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createSecretKey, type KeyObject } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ActorLoader, type CredentialActor } from './actor-loader.service';
import { API_KEY_PREFIX } from './api-key';

export interface AccessTokenPayload {
  /** Staff account id. */
  sub: string;
  /** Acting organization id. */
  org: string;
  /** The account's credential version when the token was issued: a password change ends older tokens. */
  cv: number;
}

export const ACCESS_TOKEN_AUDIENCE = 'harbour-api';
export const ACCESS_TOKEN_ISSUER = 'harbour';

/** What an `Authorization` header establishes. */
export type Credential =
  | { readonly kind: 'none' }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'valid'; readonly actor: CredentialActor };

/** `Bearer <token>`, the scheme in any case (RFC 9110: schemes are case-insensitive). */
const BEARER = /^bearer[ \t]+([^\s]+)[ \t]*$/i;

/** The token of an `Authorization: Bearer …` header; undefined for anything else. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
}

/**
 * Turns the `Authorization` header of a request into the caller, once per request: an access
 * token from `login` (signature, expiry, and the account's credential version) or a partner
 * system's API key. Roles and scopes are looked up fresh by ActorLoader, so a deactivation, role
 * change, revocation or password change takes effect on the caller's next request.
 */
@Injectable()
export class RequestAuthenticator {
  // A KeyObject: given a string, jsonwebtoken tries to parse it as a PEM public key on every
  // verification (≈0.7 ms of CPU per request) before falling back to a secret key.
  private readonly key: KeyObject;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly jwt: JwtService,
    private readonly actors: ActorLoader,
  ) {
    this.key = createSecretKey(Buffer.from(config.auth.jwtSecret, 'utf8'));
  }

  async authenticate(header: string | string[] | undefined): Promise<Credential> {
    if (header === undefined) return { kind: 'none' };
    const token = bearerToken(header);
    if (!token) return { kind: 'invalid' };
    const actor = token.startsWith(API_KEY_PREFIX)
      ? await this.actors.forApiKey(token)
      : await this.forAccessToken(token);
    return actor ? { kind: 'valid', actor } : { kind: 'invalid' };
  }

  /**
   * When an access token in an `Authorization` value stops being valid (ms since the epoch), or null
   * for an API key or anything else: read without verifying, for a credential already authenticated.
   */
  accessTokenExpiry(header: string): number | null {
    const token = bearerToken(header);
    if (!token || token.startsWith(API_KEY_PREFIX)) return null;
    const payload: unknown = this.jwt.decode(token);
    const exp = typeof payload === 'object' && payload !== null ? (payload as { exp?: unknown }).exp : undefined;
    return typeof exp === 'number' ? exp * 1000 : null;
  }

  private async forAccessToken(token: string): Promise<CredentialActor | null> {
    let payload: Partial<AccessTokenPayload>;
    try {
      payload = this.jwt.verify<AccessTokenPayload>(token, {
        // jsonwebtoken takes a KeyObject; @nestjs/jwt's types predate it.
        secret: this.key as unknown as Buffer,
        algorithms: ['HS256'],
        audience: ACCESS_TOKEN_AUDIENCE,
        issuer: ACCESS_TOKEN_ISSUER,
      });
    } catch {
      return null;
    }
    if (typeof payload.sub !== 'string' || typeof payload.org !== 'string' || !Number.isSafeInteger(payload.cv))
      return null;
    return this.actors.forStaff(payload.sub, payload.org, payload.cv!);
  }
}
