import { RequirePermission } from '@harbour/authz';
import { Args, Resolver, Subscription } from '@nestjs/graphql';
import { CurrentLiveConnection, type LiveConnection } from '../../graphql/live-connections';
import { ReferralEventsArgs } from './dto/referral-events.args';
import { ReferralChangeModel } from '../partner-events';
import { REFERRAL_EVENTS_PERMISSIONS, ReferralEventsService } from './referral-events.service';

@Resolver(() => ReferralChangeModel)
export class ReferralEventsResolver {
  constructor(private readonly service: ReferralEventsService) {}

  @Subscription(() => ReferralChangeModel, {
    description:
      'The live inbox, over graphql-ws on `/graphql` (protocol `graphql-transport-ws`; credential in `connection_init`: `{ "authorization": "Bearer <access token or API key>" }`). Every referral change and consent revocation your organization is party to, moments after it commits, with the same id-only facts as a webhook body — on the side(s) your role or scopes may read (INTAKE, CASEWORKER, `REFERRALS_READ`). Best effort: an event committed while you are not connected is not replayed here; catch up with `referralChanges` from your last cursor and rely on webhooks for at-least-once delivery. The connection closes with 4401 (sign in again), 4403 (the key was revoked, the account deactivated, or the role no longer allows it), 4429 (too many connections for this credential) or 1013 (you fell behind: reconnect and catch up).',
    resolve: (event: ReferralChangeModel) => event,
  })
  @RequirePermission(...REFERRAL_EVENTS_PERMISSIONS)
  referralEvents(
    @CurrentLiveConnection() connection: LiveConnection,
    @Args() args: ReferralEventsArgs,
  ): Promise<AsyncIterableIterator<ReferralChangeModel>> {
    return this.service.subscribe(connection, args);
  }
}
