import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PrivacyWarningCode } from './status-information';

registerEnumType(PrivacyWarningCode, {
  name: 'PrivacyWarningCode',
  description: 'Why Harbour warns about something written in a free-text field.',
  valuesMap: {
    STATUS_INFORMATION: {
      description:
        "The text seems to mention the person's status or identity documents, which Harbour never asks for or records. It was saved as written; review it with the client.",
    },
  },
});

@ObjectType('PrivacyWarning', {
  description:
    'Something a writer should review in what they just saved. The change was made; show the warning to the person who wrote the text. It names the field, never the text.',
})
export class PrivacyWarningModel {
  @Field({ description: 'Path of the input field the warning is about, e.g. `input.needs`.' })
  field: string;

  @Field(() => PrivacyWarningCode, { description: 'What kind of warning it is.' })
  code: PrivacyWarningCode;

  @Field({ description: 'A sentence to show the writer, in English.' })
  message: string;
}
