import { CurrentActor, type Actor } from '@harbour/authz';
import { Context, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../auth/request-context';
import {
  ReferralModel,
  ReferralNoteModel,
  ReferralTransitionModel,
  ReferredClientModel,
} from './models/referral.model';
import { ReferralLoaders } from './referral-loaders';
import { toNoteModel, toTransitionModel } from './referral-view';
import { ReferralsService } from './referrals.service';

/**
 * The fields of a Referral that are loaded in batches or carry client data. What they show was
 * decided by the view mapper; here each waits for its READ event before returning client data.
 */
@Resolver(() => ReferralModel)
export class ReferralFieldsResolver {
  constructor(
    private readonly loaders: ReferralLoaders,
    private readonly referrals: ReferralsService,
  ) {}

  @ResolveField('client', () => ReferredClientModel, {
    description:
      'The client, as your organization may see them now (see ReferredClient). Reading it is recorded in the audit log when it shows anything.',
  })
  async client(
    @Parent() referral: ReferralModel,
    @CurrentActor() actor: Actor,
    @Context() context: GraphQLContext,
  ): Promise<ReferredClientModel> {
    if (referral.view.showsClient) await this.loaders.of(context, actor).recordRead('client', referral.view);
    return referral.view.client;
  }

  @ResolveField('reason', () => String, {
    nullable: true,
    description:
      "Why the client is referred, in the client's words (consent category NEEDS): null for the receiving organization when not shared now. Reading it is recorded in the audit log.",
  })
  async reason(
    @Parent() referral: ReferralModel,
    @CurrentActor() actor: Actor,
    @Context() context: GraphQLContext,
  ): Promise<string | null> {
    if (referral.view.reason !== null) await this.loaders.of(context, actor).recordRead('client', referral.view);
    return referral.view.reason;
  }

  @ResolveField('basedOn', () => ReferralModel, {
    nullable: true,
    description:
      'The earlier referral this one reopens or re-routes; null when there is none or your organization was not a party to it.',
  })
  async basedOn(
    @Parent() referral: ReferralModel,
    @CurrentActor() actor: Actor,
    @Context() context: GraphQLContext,
  ): Promise<ReferralModel | null> {
    if (referral.view.basedOnId === null) return null;
    return this.referrals.viewOf(actor, await this.loaders.of(context, actor).parties.load(referral.view.basedOnId));
  }

  @ResolveField('history', () => [ReferralTransitionModel], {
    description: 'Every step of the referral, oldest first, starting with SEND.',
  })
  async history(
    @Parent() referral: ReferralModel,
    @CurrentActor() actor: Actor,
    @Context() context: GraphQLContext,
  ): Promise<ReferralTransitionModel[]> {
    const loaders = this.loaders.of(context, actor);
    const steps = (await loaders.transitions.load(referral.id)).map((step) =>
      toTransitionModel(actor, referral.view, step),
    );
    if (steps.some((step) => step.text !== null)) await loaders.recordRead('notes', referral.view);
    return steps;
  }

  @ResolveField('lastTransition', () => ReferralTransitionModel, {
    description: 'The latest step of the referral (the SEND step until anything else happens).',
  })
  async lastTransition(
    @Parent() referral: ReferralModel,
    @CurrentActor() actor: Actor,
    @Context() context: GraphQLContext,
  ): Promise<ReferralTransitionModel> {
    const loaders = this.loaders.of(context, actor);
    const steps = await loaders.transitions.load(referral.id);
    const last = toTransitionModel(actor, referral.view, steps[steps.length - 1]);
    if (last.text !== null) await loaders.recordRead('notes', referral.view);
    return last;
  }

  @ResolveField('notes', () => [ReferralNoteModel], {
    description:
      'The notes of both sides, oldest first (at most 200). A body not shared with your organization is null. Reading bodies is recorded in the audit log.',
  })
  async notes(
    @Parent() referral: ReferralModel,
    @CurrentActor() actor: Actor,
    @Context() context: GraphQLContext,
  ): Promise<ReferralNoteModel[]> {
    const loaders = this.loaders.of(context, actor);
    const notes = (await loaders.notes.load(referral.id)).map((note) => toNoteModel(actor, referral.view, note));
    if (notes.some((note) => note.body !== null)) await loaders.recordRead('notes', referral.view);
    return notes;
  }

  @ResolveField('noteCount', () => Int, { description: 'How many notes the referral has, of both sides.' })
  noteCount(
    @Parent() referral: ReferralModel,
    @CurrentActor() actor: Actor,
    @Context() context: GraphQLContext,
  ): Promise<number> {
    return this.loaders.of(context, actor).noteCounts.load(referral.id);
  }
}
