import { Migration } from '@mikro-orm/migrations';

/**
 * Tells every server process when something an actor is built from changes, so that each can empty
 * its cache of resolved credentials: a membership (roles, active), an account's credential version
 * (a password change), an API client (scopes, revocation, key), an organization (active, network
 * operator), or what decides a person's pending training — a training module (published, new
 * version), an acknowledgement, or an organization's services (their area and status decide which
 * modules its people owe). The notification is sent at the change's commit, on `harbour_actors_changed`, with
 * an empty payload; whatever made the change (the API, a CLI, an operator's SQL).
 * `lastUsedAt` and profile fields do not notify: they change nothing an actor holds.
 */
export class Migration20261206054000_actor_cache_notify extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function "actors_changed"() returns trigger language plpgsql as $$
      begin
        perform pg_notify('harbour_actors_changed', '');
        return null;
      end $$;`);
    this.addSql(
      `create trigger "membership_actors_changed" after insert or update or delete on "membership" for each statement execute function "actors_changed"();`,
    );
    this.addSql(
      `create trigger "staff_account_actors_changed" after update of "credential_version" or delete on "staff_account" for each statement execute function "actors_changed"();`,
    );
    this.addSql(
      `create trigger "api_client_actors_changed" after update of "scopes", "revoked_at", "key_hash", "key_prefix", "organization_id" or delete on "api_client" for each statement execute function "actors_changed"();`,
    );
    this.addSql(
      `create trigger "organization_actors_changed" after update of "active", "is_network_operator" or delete on "organization" for each statement execute function "actors_changed"();`,
    );
    this.addSql(
      `create trigger "training_module_actors_changed" after insert or update or delete on "training_module" for each statement execute function "actors_changed"();`,
    );
    this.addSql(
      `create trigger "training_acknowledgement_actors_changed" after insert or update or delete on "training_acknowledgement" for each statement execute function "actors_changed"();`,
    );
    this.addSql(
      `create trigger "service_actors_changed" after insert or delete or update of "status", "service_area", "organization_id" on "service" for each statement execute function "actors_changed"();`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger "service_actors_changed" on "service";`);
    this.addSql(`drop trigger "training_acknowledgement_actors_changed" on "training_acknowledgement";`);
    this.addSql(`drop trigger "training_module_actors_changed" on "training_module";`);
    this.addSql(`drop trigger "organization_actors_changed" on "organization";`);
    this.addSql(`drop trigger "api_client_actors_changed" on "api_client";`);
    this.addSql(`drop trigger "staff_account_actors_changed" on "staff_account";`);
    this.addSql(`drop trigger "membership_actors_changed" on "membership";`);
    this.addSql(`drop function "actors_changed"();`);
  }
}
