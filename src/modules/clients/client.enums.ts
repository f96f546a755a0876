import { registerEnumType } from '@nestjs/graphql';

/** How a client agrees to be contacted. The safe default for someone at risk is to ask. */
export enum ContactPreference {
  ANY = 'ANY',
  PHONE_ONLY = 'PHONE_ONLY',
  EMAIL_ONLY = 'EMAIL_ONLY',
  DO_NOT_CONTACT = 'DO_NOT_CONTACT',
}

registerEnumType(ContactPreference, {
  name: 'ContactPreference',
  description: 'How the client agrees to be contacted.',
  valuesMap: {
    ANY: { description: 'By phone or email.' },
    PHONE_ONLY: { description: 'By phone only (a phone number is required).' },
    EMAIL_ONLY: { description: 'By email only (an email address is required).' },
    DO_NOT_CONTACT: {
      description: 'Never contact the client directly: go through the organization that holds the record.',
    },
  },
});
