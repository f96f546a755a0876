import { Field, ObjectType } from '@nestjs/graphql';
import { PrivacyWarningModel } from './privacy/privacy-warning.model';

/**
 * What every mutation that creates or changes something answers with: a `<Something>Payload` that
 * extends this class, holding the object after the change under a field named after it, and these
 * warnings (docs/architecture.md, "Mutation results"). The credential mutations are the one
 * exception: they answer with a `LoginPayload`.
 */
@ObjectType({ isAbstract: true })
export abstract class MutationPayload {
  @Field(() => [PrivacyWarningModel], {
    description:
      'Things for the writer to review in what was just saved, for example free text about a client that seems to mention status information. Each names the input field, never the text. Empty when there is nothing to review, and always empty when the input has no such free text. The change was made either way.',
  })
  warnings: PrivacyWarningModel[];
}
