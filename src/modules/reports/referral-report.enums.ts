import { registerEnumType } from '@nestjs/graphql';

/** What a referral report's rows and columns can be grouped by. Never a client, never free text. */
export enum ReferralReportDimension {
  MONTH = 'MONTH',
  SENDING_ORGANIZATION = 'SENDING_ORGANIZATION',
  RECEIVING_ORGANIZATION = 'RECEIVING_ORGANIZATION',
  STATUS = 'STATUS',
  OUTCOME = 'OUTCOME',
  DECLINE_REASON = 'DECLINE_REASON',
}

registerEnumType(ReferralReportDimension, {
  name: 'ReferralReportDimension',
  description: 'What a referral report groups referrals by.',
  valuesMap: {
    MONTH: { description: 'The calendar month (UTC) the referral was sent in, as `YYYY-MM`.' },
    SENDING_ORGANIZATION: { description: 'The organization that sent the referral.' },
    RECEIVING_ORGANIZATION: { description: 'The organization whose service the referral was sent to.' },
    STATUS: { description: 'The referral’s current status (`ReferralStatus`).' },
    OUTCOME: { description: 'How a COMPLETED referral ended (`ReferralOutcome`); no value for the others.' },
    DECLINE_REASON: {
      description:
        'The reason code a DECLINED referral was declined with (`ReferralReasonCode`); no value for the others.',
    },
  },
});
