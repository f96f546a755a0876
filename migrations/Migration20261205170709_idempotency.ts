import { Migration } from '@mikro-orm/migrations';

/**
 * Safe retries for every mutation a partner retries: one table of idempotency keys
 * (`idempotency_record`, src/idempotency) instead of sendReferral's columns on `referral`.
 *
 * A record holds who used a key (actor kind and id, acting organization), for which mutation, the
 * SHA-256 of the key and of the input's canonical form, and the id of the object the first answer
 * was about — never the input or the answer. The runtime role reads, claims, completes (object id)
 * and purges records; nothing else.
 *
 * Data: the keys sendReferral kept on referrals sent within the last 48 hours (the window in which
 * keys are remembered) become records of the staff account or API client that sent them; their
 * fingerprints are carried over unchanged (sendReferral's canonical input is the one they were
 * computed from). Older keys are forgotten, as the purge would forget them.
 */
export class Migration20261205170709_idempotency extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "idempotency_record" ("id" uuid not null, "actor_kind" text check ("actor_kind" in ('STAFF', 'API_CLIENT')) not null, "actor_id" uuid not null, "organization_id" uuid not null, "operation" text not null, "key_hash" text not null, "fingerprint" text not null, "object_id" uuid null, "created_at" timestamptz not null, constraint "idempotency_record_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "idempotency_record_created_at_index" on "idempotency_record" ("created_at");`);
    this.addSql(
      `alter table "idempotency_record" add constraint "idempotency_record_key_unique" unique ("actor_kind", "actor_id", "organization_id", "operation", "key_hash");`,
    );
    this.addSql(`revoke all on table "idempotency_record" from harbour_app;`);
    this.addSql(`grant select, insert, update, delete on table "idempotency_record" to harbour_app;`);

    this
      .addSql(`insert into "idempotency_record" ("id", "actor_kind", "actor_id", "organization_id", "operation", "key_hash", "fingerprint", "object_id", "created_at")
      select gen_random_uuid(), t."actor_kind"::text, r."sent_by", r."sending_organization_id", 'sendReferral',
        encode(sha256(convert_to(r."idempotency_key", 'UTF8')), 'hex'), r."idempotency_fingerprint", r."id", r."sent_at"
      from "referral" r join "referral_transition" t on t."referral_id" = r."id" and t."action" = 'SEND'
      where r."idempotency_key" is not null and r."sent_at" > now() - interval '48 hours' and t."actor_kind" in ('STAFF', 'API_CLIENT')
      on conflict do nothing;`);

    // The guard keeps what a referral was sent with unchanged; the keys no longer live there.
    this.addSql(referralGuard(['new', 'old'].map((row) => SENT_WITH.map((column) => `${row}.${column}`).join(', '))));
    this.addSql(`alter table "referral" drop constraint "referral_idempotency_key_unique";`);
    this.addSql(`alter table "referral" drop constraint referral_idempotency_complete_check;`);
    this.addSql(`alter table "referral" drop column "idempotency_key", drop column "idempotency_fingerprint";`);
  }

  /** Structure only: the records' keys are hashes, so the referrals' keys cannot be restored. */
  override async down(): Promise<void> {
    this.addSql(`drop table if exists "idempotency_record" cascade;`);

    this.addSql(
      `alter table "referral" add column "idempotency_key" text null, add column "idempotency_fingerprint" text null;`,
    );
    this.addSql(
      `alter table "referral" add constraint "referral_idempotency_key_unique" unique ("sending_organization_id", "idempotency_key");`,
    );
    this.addSql(
      `alter table "referral" add constraint referral_idempotency_complete_check check((idempotency_key is null) = (idempotency_fingerprint is null));`,
    );
    const withKeys = [...SENT_WITH, 'idempotency_key', 'idempotency_fingerprint'];
    this.addSql(referralGuard(['new', 'old'].map((row) => withKeys.map((column) => `${row}.${column}`).join(', '))));
  }
}

/** The columns a referral is sent with, which never change afterwards. */
const SENT_WITH = [
  'client_id',
  'sending_organization_id',
  'receiving_organization_id',
  'service_id',
  'consent_id',
  'based_on_id',
  'priority',
  'reason',
  'sent_by',
  'sent_at',
];

/** The referral guard of Migration20261126154446_referrals, comparing `newRow` and `oldRow` (column lists) for what never changes. */
function referralGuard([newRow, oldRow]: string[]): string {
  return `create or replace function "referral_guard"() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          if not exists (select 1 from client c where c.id = new.client_id and c.organization_id = new.sending_organization_id) then
            raise exception 'a referral is sent by the organization of its client'
              using errcode = 'check_violation', constraint = 'referral_sender_is_client_organization';
          end if;
          if not exists (select 1 from consent k where k.id = new.consent_id and k.client_id = new.client_id
                         and new.receiving_organization_id = any(k.recipient_organization_ids)) then
            raise exception 'a referral is sent under a consent of its client that names the receiving organization'
              using errcode = 'check_violation', constraint = 'referral_consent_covers_receiver';
          end if;
          if not exists (select 1 from service s where s.id = new.service_id and s.organization_id = new.receiving_organization_id) then
            raise exception 'a referral is received by the organization of its service'
              using errcode = 'check_violation', constraint = 'referral_receiver_is_service_organization';
          end if;
          return new;
        end if;
        if old.status in ('COMPLETED', 'UNMET', 'DECLINED', 'CANCELLED') and new is distinct from old then
          raise exception 'a terminal referral never changes: send a new referral based on it'
            using errcode = 'check_violation', constraint = 'referral_terminal_immutable';
        end if;
        if (${newRow}) is distinct from (${oldRow}) then
          raise exception 'what a referral was sent with never changes'
            using errcode = 'check_violation', constraint = 'referral_terms_immutable';
        end if;
        return new;
      end $$;`;
}
