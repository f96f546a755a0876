import { currentActorOf } from '@harbour/authz';
import { Int, ResolveField, Resolver } from '@nestjs/graphql';
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

/** Field resolvers without arguments receive an empty object in their place. */
type NoArguments = Record<string, never>;

/**
 * The fields of a Referral that are loaded in batches or carry client data. What they show was
 * decided by the view mapper, and kept with the request's loaders when the referral was returned;
 * here each hands its client data over with its READ event (`afterRead`): over HTTP the response
 * waits for the events to commit (ReadGate), so that these fields return at once and a page is
 * completed without a promise per referral; elsewhere each waits for its own event.
 *
 * They take GraphQL's own arguments `(referral, args, context)`, not parameter decorators: Nest then
 * calls them directly instead of wrapping every call (see `currentActorOf`). A test keeps it so.
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
  client(
    referral: ReferralModel,
    _args: NoArguments,
    context: GraphQLContext,
  ): ReferredClientModel | Promise<ReferredClientModel> {
    const loaders = this.loaders.of(context, currentActorOf(context));
    const view = loaders.viewOf(referral);
    return view.showsClient ? loaders.afterRead('client', view, view.client) : view.client;
  }

  @ResolveField('reason', () => String, {
    nullable: true,
    description:
      "Why the client is referred, in the client's words (consent category NEEDS): null for the receiving organization when not shared now, and for both sides once the client was erased. Reading it is recorded in the audit log.",
  })
  reason(referral: ReferralModel, _args: NoArguments, context: GraphQLContext): string | null | Promise<string | null> {
    const loaders = this.loaders.of(context, currentActorOf(context));
    const view = loaders.viewOf(referral);
    return view.reason !== null ? loaders.afterRead('client', view, view.reason) : null;
  }

  @ResolveField('basedOn', () => ReferralModel, {
    nullable: true,
    description:
      'The earlier referral this one reopens or re-routes; null when there is none or your organization was not a party to it.',
  })
  async basedOn(referral: ReferralModel, _args: NoArguments, context: GraphQLContext): Promise<ReferralModel | null> {
    const actor = currentActorOf(context);
    const loaders = this.loaders.of(context, actor);
    const { basedOnId } = loaders.viewOf(referral);
    if (basedOnId === null) return null;
    const basis = this.referrals.viewOf(actor, await loaders.parties.load(basedOnId));
    return basis && loaders.show(basis);
  }

  @ResolveField('history', () => [ReferralTransitionModel], {
    description: 'Every step of the referral, oldest first, starting with SEND.',
  })
  async history(
    referral: ReferralModel,
    _args: NoArguments,
    context: GraphQLContext,
  ): Promise<ReferralTransitionModel[]> {
    const actor = currentActorOf(context);
    const loaders = this.loaders.of(context, actor);
    const view = loaders.viewOf(referral);
    const steps = (await loaders.transitions.load(referral.id)).map((step) => toTransitionModel(actor, view, step));
    return steps.some((step) => step.text !== null) ? loaders.afterRead('notes', view, steps) : steps;
  }

  @ResolveField('lastTransition', () => ReferralTransitionModel, {
    description: 'The latest step of the referral (the SEND step until anything else happens).',
  })
  async lastTransition(
    referral: ReferralModel,
    _args: NoArguments,
    context: GraphQLContext,
  ): Promise<ReferralTransitionModel> {
    const actor = currentActorOf(context);
    const loaders = this.loaders.of(context, actor);
    const view = loaders.viewOf(referral);
    const steps = await loaders.transitions.load(referral.id);
    const last = toTransitionModel(actor, view, steps[steps.length - 1]);
    return last.text !== null ? loaders.afterRead('notes', view, last) : last;
  }

  @ResolveField('notes', () => [ReferralNoteModel], {
    description:
      'The notes of both sides, oldest first (at most 200). A body not shared with your organization is null. Reading bodies is recorded in the audit log.',
  })
  async notes(referral: ReferralModel, _args: NoArguments, context: GraphQLContext): Promise<ReferralNoteModel[]> {
    const actor = currentActorOf(context);
    const loaders = this.loaders.of(context, actor);
    const view = loaders.viewOf(referral);
    const notes = (await loaders.notes.load(referral.id)).map((note) => toNoteModel(actor, view, note));
    return notes.some((note) => note.body !== null) ? loaders.afterRead('notes', view, notes) : notes;
  }

  @ResolveField('noteCount', () => Int, { description: 'How many notes the referral has, of both sides.' })
  noteCount(referral: ReferralModel, _args: NoArguments, context: GraphQLContext): Promise<number> {
    return this.loaders.of(context, currentActorOf(context)).noteCounts.load(referral.id);
  }
}
