import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, Permission, PublicOperation, RequirePermission, type Actor } from '@harbour/authz';
import { type GraphQLContext, requestInfoOf } from './request-context';
import { AuthService } from './auth.service';
import { ChangePasswordInput } from './dto/change-password.input';
import { LoginInput } from './dto/login.input';
import { LoginPayload } from './models/login-payload.model';
import { Me } from './models/me.model';

@Resolver()
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Mutation(() => LoginPayload, {
    description:
      'Sign in with email and password for one acting organization. Repeated failures slow down and then lock sign-in for a while; the answer never tells whether the email exists.',
  })
  @PublicOperation()
  login(
    @Args('input', { description: 'Credentials and the organization to act for.' }) input: LoginInput,
    @Context() context: GraphQLContext,
  ): Promise<LoginPayload> {
    return this.auth.login(input, requestInfoOf(context));
  }

  @Query(() => Me, {
    description: 'The caller: account or API client, acting organization, roles and effective permissions.',
  })
  @RequirePermission(Permission.DIRECTORY_READ)
  me(@CurrentActor() actor: Actor): Promise<Me> {
    return this.auth.me(actor);
  }

  @Mutation(() => LoginPayload, {
    description:
      "Change the signed-in person's own password. Every access token issued before stops working on its next request — this one included, in every organization — so the answer is a new token for the acting organization.",
  })
  @RequirePermission(Permission.OWN_PASSWORD_CHANGE)
  changePassword(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'Current and new password.' }) input: ChangePasswordInput,
  ): Promise<LoginPayload> {
    return this.auth.changePassword(actor, input);
  }
}
