import { CurrentActor, Permission, RequirePermission, ReturnsClientData, type Actor } from '@harbour/authz';
import type { Connection } from '@harbour/graphql-kit';
import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../auth/request-context';
import {
  REFERRAL_ID_DESCRIPTION,
  ReferralOutcomeStepArgs,
  ReferralReasonStepArgs,
  ReferralStepArgs,
} from './dto/referral-step.args';
import { ReferralsArgs } from './dto/referrals.args';
import { SendReferralInput } from './dto/send-referral.input';
import { AddReferralNoteInput } from './dto/add-referral-note.input';
import { ReferralConnection, ReferralModel, ReferralNotePayload, ReferralPayload } from './models/referral.model';
import { ReferralLoaders } from './referral-loaders';
import { ReferralNotesService } from './referral-notes.service';
import type { ViewedReferral } from './referral-view';
import { ReferralAction } from './referral.enums';
import { type ReferralChange, ReferralsService } from './referrals.service';

const ID_ARG = { type: () => ID, description: REFERRAL_ID_DESCRIPTION };

/**
 * Transitions return the referral; the whole table of who may do what from which state is in
 * referral-lifecycle.ts. Each referral returned is shown through the request's loaders, which keep
 * its view for the field resolvers (ReferralFieldsResolver).
 */
@Resolver(() => ReferralModel)
export class ReferralsResolver {
  constructor(
    private readonly service: ReferralsService,
    private readonly notes: ReferralNotesService,
    private readonly loaders: ReferralLoaders,
  ) {}

  @Query(() => ReferralModel, {
    description:
      "A referral your organization sent or received. The receiving organization's first read of a SENT referral records that it was opened (`receivedAt`, audited). Client data in it is shown per the consent view and every read of it is recorded in the audit log.",
  })
  @RequirePermission(Permission.REFERRAL_OUTBOX_READ, Permission.REFERRAL_INBOX_READ)
  @ReturnsClientData()
  async referral(
    @CurrentActor() actor: Actor,
    @Args('id', ID_ARG) id: string,
    @Context() context: GraphQLContext,
  ): Promise<ReferralModel> {
    return this.loaders.of(context, actor).show(await this.service.get(actor, id));
  }

  @Query(() => ReferralConnection, {
    description:
      "Your organization's inbox (received; INTAKE) or outbox (sent; CASEWORKER), newest sent first, then by id. Filters combine with AND. Listing does not mark referrals as opened. Client data on the page is recorded in the audit log (one event per referral shown) before it is returned.",
  })
  @RequirePermission(Permission.REFERRAL_OUTBOX_READ, Permission.REFERRAL_INBOX_READ)
  @ReturnsClientData()
  async referrals(
    @CurrentActor() actor: Actor,
    @Args() args: ReferralsArgs,
    @Context() context: GraphQLContext,
  ): Promise<Connection<ReferralModel>> {
    return this.shownPage(context, actor, await this.service.list(actor, args));
  }

  @Mutation(() => ReferralPayload, {
    description:
      "Send a referral of one of your clients to another organization's service (ACTIVE, accepting referrals), under the client's active consent naming that organization. The referral starts SENT. Warns (and still sends) when the reason seems to mention status information.",
  })
  @RequirePermission(Permission.REFERRAL_SEND)
  @ReturnsClientData()
  async sendReferral(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The referral.' }) input: SendReferralInput,
    @Context() context: GraphQLContext,
  ): Promise<ReferralPayload> {
    return this.shownChange(context, actor, await this.service.send(actor, input));
  }

  @Mutation(() => ReferralPayload, {
    description:
      'Receiving side (INTAKE): take on a SENT referral. It becomes ACCEPTED and the receiver sees every category the consent covers.',
  })
  @RequirePermission(Permission.REFERRAL_RECEIVE)
  @ReturnsClientData()
  async acceptReferral(
    @CurrentActor() actor: Actor,
    @Args() args: ReferralStepArgs,
    @Context() context: GraphQLContext,
  ): Promise<ReferralPayload> {
    return this.shownChange(context, actor, await this.service.transition(actor, ReferralAction.ACCEPT, args));
  }

  @Mutation(() => ReferralPayload, {
    description: 'Receiving side (INTAKE): decline a SENT referral, with a reason. DECLINED is terminal.',
  })
  @RequirePermission(Permission.REFERRAL_RECEIVE)
  @ReturnsClientData()
  async declineReferral(
    @CurrentActor() actor: Actor,
    @Args() args: ReferralReasonStepArgs,
    @Context() context: GraphQLContext,
  ): Promise<ReferralPayload> {
    return this.shownChange(context, actor, await this.service.transition(actor, ReferralAction.DECLINE, args));
  }

  @Mutation(() => ReferralPayload, {
    description:
      'Receiving side (INTAKE): start working with the client on an ACCEPTED referral. It becomes IN_PROGRESS.',
  })
  @RequirePermission(Permission.REFERRAL_RECEIVE)
  @ReturnsClientData()
  async startReferral(
    @CurrentActor() actor: Actor,
    @Args() args: ReferralStepArgs,
    @Context() context: GraphQLContext,
  ): Promise<ReferralPayload> {
    return this.shownChange(context, actor, await this.service.transition(actor, ReferralAction.START, args));
  }

  @Mutation(() => ReferralPayload, {
    description:
      'Receiving side (INTAKE): put an ACCEPTED or IN_PROGRESS referral ON_HOLD (for example on a waitlist), with a reason.',
  })
  @RequirePermission(Permission.REFERRAL_RECEIVE)
  @ReturnsClientData()
  async holdReferral(
    @CurrentActor() actor: Actor,
    @Args() args: ReferralReasonStepArgs,
    @Context() context: GraphQLContext,
  ): Promise<ReferralPayload> {
    return this.shownChange(context, actor, await this.service.transition(actor, ReferralAction.HOLD, args));
  }

  @Mutation(() => ReferralPayload, {
    description: 'Receiving side (INTAKE): resume an ON_HOLD referral. It becomes IN_PROGRESS.',
  })
  @RequirePermission(Permission.REFERRAL_RECEIVE)
  @ReturnsClientData()
  async resumeReferral(
    @CurrentActor() actor: Actor,
    @Args() args: ReferralStepArgs,
    @Context() context: GraphQLContext,
  ): Promise<ReferralPayload> {
    return this.shownChange(context, actor, await this.service.transition(actor, ReferralAction.RESUME, args));
  }

  @Mutation(() => ReferralPayload, {
    description: 'Receiving side (INTAKE): complete an IN_PROGRESS referral with its outcome. COMPLETED is terminal.',
  })
  @RequirePermission(Permission.REFERRAL_RECEIVE)
  @ReturnsClientData()
  async completeReferral(
    @CurrentActor() actor: Actor,
    @Args() args: ReferralOutcomeStepArgs,
    @Context() context: GraphQLContext,
  ): Promise<ReferralPayload> {
    return this.shownChange(context, actor, await this.service.transition(actor, ReferralAction.COMPLETE, args));
  }

  @Mutation(() => ReferralPayload, {
    description:
      'Receiving side (INTAKE): close an ACCEPTED, IN_PROGRESS or ON_HOLD referral whose need could not be met, with a reason. UNMET is terminal.',
  })
  @RequirePermission(Permission.REFERRAL_RECEIVE)
  @ReturnsClientData()
  async closeReferralUnmet(
    @CurrentActor() actor: Actor,
    @Args() args: ReferralReasonStepArgs,
    @Context() context: GraphQLContext,
  ): Promise<ReferralPayload> {
    return this.shownChange(context, actor, await this.service.transition(actor, ReferralAction.CLOSE_UNMET, args));
  }

  @Mutation(() => ReferralPayload, {
    description:
      'Sending side (CASEWORKER): withdraw a referral that is not yet terminal, with a reason. CANCELLED is terminal.',
  })
  @RequirePermission(Permission.REFERRAL_SEND)
  @ReturnsClientData()
  async cancelReferral(
    @CurrentActor() actor: Actor,
    @Args() args: ReferralReasonStepArgs,
    @Context() context: GraphQLContext,
  ): Promise<ReferralPayload> {
    return this.shownChange(context, actor, await this.service.transition(actor, ReferralAction.CANCEL, args));
  }

  @Mutation(() => ReferralNotePayload, {
    description:
      "Add a note to an open referral, as your organization's side: the sending side's CASEWORKER or the receiving side's INTAKE. The receiving side's notes are shown to the sender; the sender's to the receiver only under the NOTES category. Warns (and still adds) when it seems to mention status information.",
  })
  @RequirePermission(Permission.REFERRAL_SEND, Permission.REFERRAL_RECEIVE)
  @ReturnsClientData()
  addReferralNote(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The note.' }) input: AddReferralNoteInput,
  ) {
    return this.notes.add(actor, input);
  }

  private shownPage(context: object, actor: Actor, page: Connection<ViewedReferral>): Connection<ReferralModel> {
    const loaders = this.loaders.of(context, actor);
    return { ...page, edges: page.edges.map(({ cursor, node }) => ({ cursor, node: loaders.show(node) })) };
  }

  private shownChange(context: object, actor: Actor, change: ReferralChange): ReferralPayload {
    return { referral: this.loaders.of(context, actor).show(change.referral), warnings: change.warnings };
  }
}
