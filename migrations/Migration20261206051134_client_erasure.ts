import { Migration } from '@mikro-orm/migrations';

/**
 * Erasure of a client's personal data (src/modules/erasure): `client.erased_at`, and the one change
 * PostgreSQL now allows to rows that are otherwise final. Once a client is erased (and only then),
 * the runtime role may empty the words written about them: a referral's reason, the text of its
 * steps, the body of its notes (now nullable; null means erased), and a consent's revocation note.
 * Nothing else of those rows may change, and an erased client never changes again nor takes a new
 * consent or referral. The history and notes stay append-only otherwise: the runtime role is granted
 * UPDATE on the one column each, and the guards refuse anything but emptying it.
 */
export class Migration20261206051134_client_erasure extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "client" add column "erased_at" timestamptz null;`);
    this.addSql(
      `alter table "client" add constraint client_erased_check check(erased_at is null or (preferred_name = 'Erased client' and legal_name is null and birth_year is null and pronouns is null and cardinality(languages) = 0 and contact_phone is null and contact_email is null and contact_preference = 'DO_NOT_CONTACT' and not contact_safe_to_leave_message and municipal_id_number is null and needs is null));`,
    );

    this.addSql(`alter table "referral" alter column "reason" type text using ("reason"::text);`);
    this.addSql(`alter table "referral" alter column "reason" drop not null;`);

    this.addSql(`alter table "referral_note" alter column "body" type text using ("body"::text);`);
    this.addSql(`alter table "referral_note" alter column "body" drop not null;`);

    this.addSql(`create function "client_erased_guard"() returns trigger language plpgsql as $$
      begin
        if old.erased_at is not null and new is distinct from old then
          raise exception 'an erased client never changes'
            using errcode = 'check_violation', constraint = 'client_erased_final';
        end if;
        return new;
      end $$;`);
    this.addSql(
      `create trigger "client_erased_guard" before update on "client" for each row execute function "client_erased_guard"();`,
    );

    this.addSql(referralGuard(true));
    this.addSql(consentGuard(true));

    // The words of a referral's history and notes: written once, emptied only for an erased client.
    for (const [table, column] of [
      ['referral_transition', 'text'],
      ['referral_note', 'body'],
    ]) {
      this.addSql(`create function "${table}_erasure_guard"() returns trigger language plpgsql as $$
        declare
          unerased "${table}";
        begin
          unerased := new;
          unerased."${column}" := old."${column}";
          if new."${column}" is not null or unerased is distinct from old
             or not exists (select 1 from referral r join client c on c.id = r.client_id
                             where r.id = new.referral_id and c.erased_at is not null) then
            raise exception '${table} is written once: only an erasure of its client empties its ${column}'
              using errcode = 'check_violation', constraint = '${table}_erasure_only';
          end if;
          return new;
        end $$;`);
      this.addSql(
        `create trigger "${table}_erasure_guard" before update on "${table}" for each row execute function "${table}_erasure_guard"();`,
      );
      this.addSql(`grant update ("${column}") on table "${table}" to harbour_app;`);
    }
    this.addSql(`create function "referral_note_body_guard"() returns trigger language plpgsql as $$
      begin
        if new.body is null then
          raise exception 'a note has a body'
            using errcode = 'check_violation', constraint = 'referral_note_body_required';
        end if;
        return new;
      end $$;`);
    this.addSql(
      `create trigger "referral_note_body_guard" before insert on "referral_note" for each row execute function "referral_note_body_guard"();`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "referral_note_body_guard" on "referral_note";`);
    this.addSql(`drop function if exists "referral_note_body_guard"();`);
    for (const [table, column] of [
      ['referral_transition', 'text'],
      ['referral_note', 'body'],
    ]) {
      this.addSql(`revoke update ("${column}") on table "${table}" from harbour_app;`);
      this.addSql(`drop trigger if exists "${table}_erasure_guard" on "${table}";`);
      this.addSql(`drop function if exists "${table}_erasure_guard"();`);
    }
    this.addSql(consentGuard(false));
    this.addSql(referralGuard(false));
    this.addSql(`drop trigger if exists "client_erased_guard" on "client";`);
    this.addSql(`drop function if exists "client_erased_guard"();`);

    this.addSql(`alter table "client" drop constraint client_erased_check;`);
    this.addSql(`alter table "client" drop column "erased_at";`);

    this.addSql(`alter table "referral" alter column "reason" type text using ("reason"::text);`);
    this.addSql(`alter table "referral" alter column "reason" set not null;`);

    this.addSql(`alter table "referral_note" alter column "body" type text using ("body"::text);`);
    this.addSql(`alter table "referral_note" alter column "body" set not null;`);
  }
}

/** Whether the row's client (`new.client_id`) is erased. */
const CLIENT_ERASED = `exists (select 1 from client c where c.id = new.client_id and c.erased_at is not null)`;

/** The referral guard of Migration20261205170709_idempotency; with `erasure`, it also lets an erased client's reason be emptied. */
function referralGuard(erasure: boolean): string {
  const sentWith = (row: string) =>
    [
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
    ]
      .map((column) => `${row}.${column}`)
      .join(', ');
  return `create or replace function "referral_guard"() returns trigger language plpgsql as $$
      ${erasure ? 'declare unerased "referral";' : ''}
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
          ${
            erasure
              ? `if new.reason is null or ${CLIENT_ERASED} then
            raise exception 'a referral is sent with a reason, for a client who is not erased'
              using errcode = 'check_violation', constraint = 'referral_reason_and_client_held';
          end if;`
              : ''
          }
          return new;
        end if;
        ${
          erasure
            ? `if old.reason is not null and new.reason is null then
          unerased := new;
          unerased.reason := old.reason;
          if unerased is distinct from old or not ${CLIENT_ERASED} then
            raise exception 'only an erasure of its client empties a referral''s reason, and changes nothing else'
              using errcode = 'check_violation', constraint = 'referral_erasure_only';
          end if;
          return new;
        end if;`
            : ''
        }
        if old.status in ('COMPLETED', 'UNMET', 'DECLINED', 'CANCELLED') and new is distinct from old then
          raise exception 'a terminal referral never changes: send a new referral based on it'
            using errcode = 'check_violation', constraint = 'referral_terminal_immutable';
        end if;
        if (${sentWith('new')}) is distinct from (${sentWith('old')}) then
          raise exception 'what a referral was sent with never changes'
            using errcode = 'check_violation', constraint = 'referral_terms_immutable';
        end if;
        return new;
      end $$;`;
}

/** The consent guard of Migration20261126141220_clients_consent; with `erasure`, it also lets an erased client's revocation note be emptied. */
function consentGuard(erasure: boolean): string {
  return `create or replace function "consent_guard"() returns trigger language plpgsql as $$
      ${erasure ? 'declare unerased "consent";' : ''}
      begin
        if tg_op = 'INSERT' then
          if not exists (select 1 from client c where c.id = new.client_id and c.organization_id = new.organization_id) then
            raise exception 'a consent is held by the organization of its client'
              using errcode = 'check_violation', constraint = 'consent_holder_is_client_organization';
          end if;
          ${
            erasure
              ? `if ${CLIENT_ERASED} then
            raise exception 'an erased client takes no new consent'
              using errcode = 'check_violation', constraint = 'consent_client_held';
          end if;`
              : ''
          }
          return new;
        end if;
        ${
          erasure
            ? `if old.revocation_note is not null and new.revocation_note is null then
          unerased := new;
          unerased.revocation_note := old.revocation_note;
          if unerased is distinct from old or not ${CLIENT_ERASED} then
            raise exception 'only an erasure of its client empties a consent''s revocation note, and changes nothing else'
              using errcode = 'check_violation', constraint = 'consent_erasure_only';
          end if;
          return new;
        end if;
        if ${CLIENT_ERASED} then
          raise exception 'the consents of an erased client never change'
            using errcode = 'check_violation', constraint = 'consent_client_held';
        end if;`
            : ''
        }
        if old.revoked_at is not null then
          raise exception 'a revoked consent is final'
            using errcode = 'check_violation', constraint = 'consent_revocation_final';
        end if;
        if (new.client_id, new.organization_id, new.recipient_organization_ids, new.purpose, new.data_categories, new.method,
            new.language, new.notice_version, new.recorded_by, new.given_at, new.expires_at, new.created_at)
           is distinct from
           (old.client_id, old.organization_id, old.recipient_organization_ids, old.purpose, old.data_categories, old.method,
            old.language, old.notice_version, old.recorded_by, old.given_at, old.expires_at, old.created_at) then
          raise exception 'the terms of a consent never change: revoke it and record a new one'
            using errcode = 'check_violation', constraint = 'consent_terms_immutable';
        end if;
        return new;
      end $$;`;
}
