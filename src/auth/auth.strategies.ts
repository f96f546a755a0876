import { Inject, Injectable } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy as CustomStrategy } from 'passport-custom';
import { ExtractJwt, Strategy as JwtStrategyBase } from 'passport-jwt';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ActorLoader, type CredentialActor } from './actor-loader.service';
import { API_KEY_PREFIX } from './api-key';

export interface AccessTokenPayload {
  /** Staff account id. */
  sub: string;
  /** Acting organization id. */
  org: string;
}

export const ACCESS_TOKEN_AUDIENCE = 'harbour-api';
export const ACCESS_TOKEN_ISSUER = 'harbour';

/** Access tokens from `login`: signature and expiry here; roles are looked up fresh by ActorLoader. */
@Injectable()
export class JwtStrategy extends PassportStrategy(JwtStrategyBase, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly actors: ActorLoader,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject: given a string, jsonwebtoken tries to parse it as a PEM public key on every
      // verification (≈0.7 ms of CPU per request) before falling back to a secret key.
      // passport-jwt hands it to jsonwebtoken as is (its types predate KeyObject).
      secretOrKey: createSecretKey(Buffer.from(config.auth.jwtSecret, 'utf8')) as unknown as Buffer,
      algorithms: ['HS256'],
      audience: ACCESS_TOKEN_AUDIENCE,
      issuer: ACCESS_TOKEN_ISSUER,
      ignoreExpiration: false,
    });
  }

  async validate(payload: AccessTokenPayload): Promise<CredentialActor | false> {
    if (typeof payload.sub !== 'string' || typeof payload.org !== 'string') return false;
    return (await this.actors.forStaff(payload.sub, payload.org)) ?? false;
  }
}

interface BearerRequest {
  headers: Record<string, string | string[] | undefined>;
}

/** API keys of partner systems, sent the same way as access tokens: `Authorization: Bearer hbk_…`. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(CustomStrategy, 'api-key') {
  constructor(private readonly actors: ActorLoader) {
    super();
  }

  async validate(request: BearerRequest): Promise<CredentialActor | false> {
    const header = request.headers.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!token?.startsWith(API_KEY_PREFIX)) return false;
    return (await this.actors.forApiKey(token)) ?? false;
  }
}
