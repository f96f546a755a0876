import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ApiClient } from '../modules/staff/api-client.entity';
import { Membership } from '../modules/staff/membership.entity';
import { StaffAccount } from '../modules/staff/staff-account.entity';
import { ActorCache } from './actor-cache';
import { ActorLoader } from './actor-loader.service';
import { AuthResolver } from './auth.resolver';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle.entity';
import { LoginThrottleService } from './login-throttle.service';
import { PasswordHasher } from './password-hasher';
import { RequestAuthenticator } from './request-authenticator';

@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ secret: config.auth.jwtSecret }),
    }),
    MikroOrmModule.forFeature([StaffAccount, Membership, ApiClient, LoginThrottle]),
  ],
  providers: [
    ActorCache,
    ActorLoader,
    RequestAuthenticator,
    AuthService,
    AuthResolver,
    LoginThrottleService,
    PasswordHasher,
  ],
  exports: [AuthService, PasswordHasher, RequestAuthenticator, LoginThrottleService],
})
export class AuthModule {}
