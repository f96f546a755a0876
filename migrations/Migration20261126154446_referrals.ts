import { Migration } from '@mikro-orm/migrations';

export class Migration20261126154446_referrals extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create type "referral_status" as enum ('SENT', 'ACCEPTED', 'IN_PROGRESS', 'ON_HOLD', 'COMPLETED', 'UNMET', 'DECLINED', 'CANCELLED');`,
    );
    this.addSql(`create type "referral_priority" as enum ('ROUTINE', 'URGENT');`);
    this.addSql(`create type "referral_outcome" as enum ('SERVICE_PROVIDED', 'PARTIALLY_PROVIDED');`);
    this.addSql(
      `create type "referral_action" as enum ('SEND', 'ACCEPT', 'DECLINE', 'CANCEL', 'START', 'HOLD', 'RESUME', 'COMPLETE', 'CLOSE_UNMET', 'EXPIRE');`,
    );
    this.addSql(`create type "referral_side" as enum ('SENDER', 'RECEIVER', 'SYSTEM');`);
    this.addSql(`create type "referral_actor_kind" as enum ('STAFF', 'API_CLIENT', 'SYSTEM');`);
    this.addSql(
      `create type "referral_reason_code" as enum ('NO_CAPACITY', 'NOT_ELIGIBLE', 'SERVICE_NOT_OFFERED', 'DUPLICATE', 'WAITLISTED', 'AWAITING_CLIENT', 'CLIENT_UNREACHABLE', 'CLIENT_DECLINED_SERVICE', 'CLIENT_REQUEST', 'NO_LONGER_NEEDED', 'SENT_IN_ERROR', 'CONSENT_WITHDRAWN', 'CONSENT_EXPIRED', 'OTHER');`,
    );
    this.addSql(
      `create table "referral" ("id" uuid not null, "client_id" uuid not null, "sending_organization_id" uuid not null, "receiving_organization_id" uuid not null, "service_id" uuid not null, "consent_id" uuid not null, "based_on_id" uuid null, "status" "referral_status" not null default 'SENT', "priority" "referral_priority" not null, "reason" text not null, "outcome" "referral_outcome" null, "sent_by" uuid not null, "sent_at" timestamptz not null, "received_at" timestamptz null, "updated_at" timestamptz not null, "idempotency_key" text null, "idempotency_fingerprint" text null, "version" int not null default 1, constraint "referral_pkey" primary key ("id"), constraint referral_outcome_check check ((status = 'COMPLETED') = (outcome is not null)), constraint referral_idempotency_complete_check check ((idempotency_key is null) = (idempotency_fingerprint is null)), constraint referral_between_organizations_check check (sending_organization_id <> receiving_organization_id), constraint referral_reason_check check (btrim(reason) <> ''));`,
    );
    this.addSql(`create index "referral_client_id_index" on "referral" ("client_id");`);
    this.addSql(`create index "referral_consent_id_status_index" on "referral" ("consent_id", "status");`);
    this.addSql(
      `create index "referral_sending_organization_id_sent_at_id_index" on "referral" ("sending_organization_id", "sent_at", "id");`,
    );
    this.addSql(
      `create index "referral_receiving_organization_id_sent_at_id_index" on "referral" ("receiving_organization_id", "sent_at", "id");`,
    );
    this.addSql(
      `alter table "referral" add constraint "referral_idempotency_key_unique" unique ("sending_organization_id", "idempotency_key");`,
    );

    this.addSql(
      `create table "referral_transition" ("id" uuid not null, "referral_id" uuid not null, "action" "referral_action" not null, "from_status" "referral_status" null, "to_status" "referral_status" not null, "side" "referral_side" not null, "organization_id" uuid not null, "actor_kind" "referral_actor_kind" not null, "actor_role" text check ("actor_role" in ('NETWORK_ADMIN', 'ORG_ADMIN', 'CASEWORKER', 'INTAKE', 'AUDITOR', 'SERVICE_AREA_LEAD')) null, "actor_id" uuid null, "reason_code" "referral_reason_code" null, "outcome" "referral_outcome" null, "text" text null, "at" timestamptz not null, constraint "referral_transition_pkey" primary key ("id"), constraint referral_transition_system_check check ((side = 'SYSTEM') = (actor_kind = 'SYSTEM') and (actor_kind = 'SYSTEM') = (actor_id is null)));`,
    );
    this.addSql(
      `create index "referral_transition_referral_id_at_id_index" on "referral_transition" ("referral_id", "at", "id");`,
    );

    this.addSql(
      `create table "referral_note" ("id" uuid not null, "referral_id" uuid not null, "side" "referral_side" not null, "organization_id" uuid not null, "author_kind" "referral_actor_kind" not null, "author_role" text check ("author_role" in ('NETWORK_ADMIN', 'ORG_ADMIN', 'CASEWORKER', 'INTAKE', 'AUDITOR', 'SERVICE_AREA_LEAD')) null, "author_id" uuid not null, "body" text not null, "created_at" timestamptz not null, constraint "referral_note_pkey" primary key ("id"), constraint referral_note_body_check check (btrim(body) <> ''));`,
    );
    this.addSql(
      `create index "referral_note_referral_id_created_at_id_index" on "referral_note" ("referral_id", "created_at", "id");`,
    );

    this.addSql(
      `alter table "referral" add constraint "referral_client_id_foreign" foreign key ("client_id") references "client" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "referral" add constraint "referral_sending_organization_id_foreign" foreign key ("sending_organization_id") references "organization" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "referral" add constraint "referral_receiving_organization_id_foreign" foreign key ("receiving_organization_id") references "organization" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "referral" add constraint "referral_service_id_foreign" foreign key ("service_id") references "service" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "referral" add constraint "referral_consent_id_foreign" foreign key ("consent_id") references "consent" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "referral" add constraint "referral_based_on_id_foreign" foreign key ("based_on_id") references "referral" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "referral_transition" add constraint "referral_transition_referral_id_foreign" foreign key ("referral_id") references "referral" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "referral_transition" add constraint "referral_transition_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "referral_note" add constraint "referral_note_referral_id_foreign" foreign key ("referral_id") references "referral" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "referral_note" add constraint "referral_note_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`,
    );

    // A referral's parties, client, consent and service are fixed when it is sent and agree with
    // one another; a terminal referral never changes again (docs/design.md, Referral lifecycle).
    // Checked by PostgreSQL so that no code path can send a client under another client's consent
    // or reopen a closed referral.
    this.addSql(`create function "referral_guard"() returns trigger language plpgsql as $$
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
        if (new.client_id, new.sending_organization_id, new.receiving_organization_id, new.service_id, new.consent_id, new.based_on_id,
            new.priority, new.reason, new.sent_by, new.sent_at, new.idempotency_key, new.idempotency_fingerprint)
           is distinct from
           (old.client_id, old.sending_organization_id, old.receiving_organization_id, old.service_id, old.consent_id, old.based_on_id,
            old.priority, old.reason, old.sent_by, old.sent_at, old.idempotency_key, old.idempotency_fingerprint) then
          raise exception 'what a referral was sent with never changes'
            using errcode = 'check_violation', constraint = 'referral_terms_immutable';
        end if;
        return new;
      end $$;`);
    this.addSql(
      `create trigger "referral_guard" before insert or update on "referral" for each row execute function "referral_guard"();`,
    );

    // History and notes are written once: the runtime role may add rows, never change or remove them.
    this.addSql(`revoke update, delete, truncate on table "referral_transition" from harbour_app;`);
    this.addSql(`revoke update, delete, truncate on table "referral_note" from harbour_app;`);
    this.addSql(`revoke delete, truncate on table "referral" from harbour_app;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "referral_guard" on "referral";`);
    this.addSql(`drop function if exists "referral_guard"();`);

    this.addSql(`alter table "referral" drop constraint "referral_based_on_id_foreign";`);

    this.addSql(`alter table "referral_transition" drop constraint "referral_transition_referral_id_foreign";`);

    this.addSql(`alter table "referral_note" drop constraint "referral_note_referral_id_foreign";`);

    this.addSql(`drop table if exists "referral" cascade;`);

    this.addSql(`drop table if exists "referral_transition" cascade;`);

    this.addSql(`drop table if exists "referral_note" cascade;`);

    this.addSql(`drop type "referral_status";`);
    this.addSql(`drop type "referral_priority";`);
    this.addSql(`drop type "referral_outcome";`);
    this.addSql(`drop type "referral_action";`);
    this.addSql(`drop type "referral_side";`);
    this.addSql(`drop type "referral_actor_kind";`);
    this.addSql(`drop type "referral_reason_code";`);
  }
}
