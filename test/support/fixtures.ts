/**
 * Test data written straight through the ORM (as the application's runtime role), for the state a
 * test starts from; the behaviour under test always goes through the GraphQL API.
 */
import { ApiScope, Role } from '@harbour/authz';
import { randomBytes, randomUUID } from 'node:crypto';
import { generateApiKey } from '../../src/auth/api-key';
import { PasswordHasher } from '../../src/auth/password-hasher';
import { Client } from '../../src/modules/clients/client.entity';
import { Consent } from '../../src/modules/consent/consent.entity';
import {
  ConsentDataCategory,
  ConsentMethod,
  ConsentPurpose,
  ConsentRevocationReason,
} from '../../src/modules/consent/consent.enums';
import { LocationKind } from '../../src/modules/directory/directory.enums';
import { ServiceArea } from '../../src/common/service-area';
import { Location } from '../../src/modules/directory/location.entity';
import { ServiceOffering } from '../../src/modules/directory/service-offering.entity';
import { OrganizationKind } from '../../src/modules/organizations/organization-kind.enum';
import { Organization } from '../../src/modules/organizations/organization.entity';
import { Referral, ReferralTransition } from '../../src/modules/referrals/referral.entity';
import {
  ReferralAction,
  ReferralActorKind,
  ReferralOutcome,
  ReferralPriority,
  ReferralSide,
  ReferralStatus,
} from '../../src/modules/referrals/referral.enums';
import { ApiClient } from '../../src/modules/staff/api-client.entity';
import { Invitation } from '../../src/modules/staff/invitation.entity';
import { hashInvitationToken } from '../../src/modules/staff/staff.service';
import { Membership } from '../../src/modules/staff/membership.entity';
import { StaffAccount } from '../../src/modules/staff/staff-account.entity';
import { TrainingAcknowledgement } from '../../src/modules/training/training-acknowledgement.entity';
import { TrainingModule } from '../../src/modules/training/training-module.entity';
import { WebhookDelivery } from '../../src/modules/webhooks/webhook-delivery.entity';
import { WebhookEndpoint } from '../../src/modules/webhooks/webhook-endpoint.entity';
import { WebhookDeliveryStatus } from '../../src/modules/webhooks/webhook.enums';
import { SecretBox, generateWebhookSecret } from '@harbour/webhooks';
import type { TestApp } from './test-app';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface StaffFixture {
  accountId: string;
  email: string;
  password: string;
  organizationId: string;
  roles: Role[];
}

export class Fixtures {
  constructor(private readonly t: TestApp) {}

  private em() {
    return this.t.orm.em.fork();
  }

  async organization(
    overrides: Partial<Pick<Organization, 'name' | 'kind' | 'isNetworkOperator' | 'serviceAreas' | 'active'>> = {},
  ): Promise<Organization> {
    const em = this.em();
    const organization = em.create(Organization, {
      name: overrides.name ?? `Organization ${randomUUID().slice(0, 8)}`,
      description: 'A test organization.',
      kind: overrides.kind ?? OrganizationKind.COMMUNITY_ORGANIZATION,
      isNetworkOperator: overrides.isNetworkOperator ?? false,
      serviceAreas: overrides.serviceAreas ?? [],
      active: overrides.active ?? true,
    });
    await em.flush();
    return organization;
  }

  /** The network operator of this test database, created on first use. */
  async operator(): Promise<Organization> {
    const existing = await this.em().findOne(Organization, { isNetworkOperator: true });
    return (
      existing ??
      this.organization({
        name: 'City newcomer-access office',
        kind: OrganizationKind.CITY_DEPARTMENT,
        isNetworkOperator: true,
      })
    );
  }

  /** A person with a password and one membership (or a further membership of an existing email). */
  async staff(
    organization: Organization,
    roles: Role[],
    options: { email?: string; leadServiceArea?: ServiceArea; active?: boolean } = {},
  ): Promise<StaffFixture> {
    const em = this.em();
    const email = options.email ?? `staff-${randomUUID().slice(0, 8)}@example.test`;
    let account = await em.findOne(StaffAccount, { email });
    if (!account) {
      account = em.create(StaffAccount, {
        email,
        displayName: `Staff ${email}`,
        passwordHash: await this.t.app.get(PasswordHasher).hash(TEST_PASSWORD),
      });
    }
    em.create(Membership, {
      account,
      organization: em.getReference(Organization, organization.id),
      displayName: account.displayName,
      roles,
      leadServiceArea:
        options.leadServiceArea ?? (roles.includes(Role.SERVICE_AREA_LEAD) ? await this.areaWithoutLead() : null),
      active: options.active ?? true,
    });
    await em.flush();
    return { accountId: account.id, email, password: TEST_PASSWORD, organizationId: organization.id, roles };
  }

  /** A service area with no active lead yet (an area has at most one), in the fixed list's order. */
  async areaWithoutLead(): Promise<ServiceArea> {
    const led = new Set(
      (await this.em().find(Membership, { active: true, leadServiceArea: { $ne: null } })).map(
        (m) => m.leadServiceArea,
      ),
    );
    const area = Object.values(ServiceArea).find((candidate) => !led.has(candidate));
    if (!area) throw new Error('Every service area has a lead already.');
    return area;
  }

  async login(staff: Pick<StaffFixture, 'email' | 'password' | 'organizationId'>): Promise<string> {
    const response = await this.t.gql<{ login: { accessToken: string } }>(
      'mutation ($input: LoginInput!) { login(input: $input) { accessToken } }',
      { input: { email: staff.email, password: staff.password, organizationId: staff.organizationId } },
    );
    if (!response.data?.login) throw new Error(`login failed: ${JSON.stringify(response.errors)}`);
    return response.data.login.accessToken;
  }

  /** A person with these roles, signed in: returns the fixture and its access token. */
  async signedIn(
    organization: Organization,
    roles: Role[],
    options: { leadServiceArea?: ServiceArea } = {},
  ): Promise<StaffFixture & { token: string }> {
    const staff = await this.staff(organization, roles, options);
    return { ...staff, token: await this.login(staff) };
  }

  async apiClient(
    organization: Organization,
    scopes: ApiScope[],
    options: { revoked?: boolean } = {},
  ): Promise<{ id: string; key: string }> {
    const em = this.em();
    const key = generateApiKey();
    const client = em.create(ApiClient, {
      organization: em.getReference(Organization, organization.id),
      name: 'Test partner system',
      keyPrefix: key.prefix,
      keyHash: key.hash,
      scopes,
      createdBy: randomUUID(),
      revokedAt: options.revoked ? new Date() : null,
    });
    await em.flush();
    return { id: client.id, key: key.key };
  }

  /** A pending invitation into the organization (of a new person unless an email is given); returns the one-time token. */
  async invitation(
    organization: Organization,
    roles: Role[],
    options: { email?: string; expiresAt?: Date } = {},
  ): Promise<string> {
    const em = this.em();
    const token = randomBytes(32).toString('base64url');
    em.create(Invitation, {
      organization: em.getReference(Organization, organization.id),
      email: options.email ?? `invitee-${randomUUID().slice(0, 8)}@example.test`,
      displayName: 'Invitee',
      roles,
      leadServiceArea: roles.includes(Role.SERVICE_AREA_LEAD) ? ServiceArea.HEALTH : null,
      tokenHash: hashInvitationToken(token),
      expiresAt: options.expiresAt ?? new Date(Date.now() + 3_600_000),
      createdBy: randomUUID(),
    });
    await em.flush();
    return token;
  }

  async location(
    organization: Organization,
    overrides: Partial<Pick<Location, 'name' | 'confidential' | 'latitude' | 'longitude'>> = {},
  ): Promise<Location> {
    const em = this.em();
    const location = em.create(Location, {
      organization: em.getReference(Organization, organization.id),
      name: overrides.name ?? 'Main office',
      kind: LocationKind.PHYSICAL,
      addressLine1: '1 Test Street',
      city: 'Harbour City',
      latitude: overrides.latitude ?? 43.65,
      longitude: overrides.longitude ?? -79.38,
      confidential: overrides.confidential ?? false,
    });
    await em.flush();
    return location;
  }

  async service(
    organization: Organization,
    overrides: Partial<Pick<ServiceOffering, 'name' | 'serviceArea' | 'languages'>> = {},
  ): Promise<ServiceOffering> {
    const em = this.em();
    const service = em.create(ServiceOffering, {
      organization: em.getReference(Organization, organization.id),
      name: overrides.name ?? `Service ${randomUUID().slice(0, 8)}`,
      description: 'A test service.',
      serviceArea: overrides.serviceArea ?? ServiceArea.HEALTH,
      languages: overrides.languages ?? ['en'],
    });
    await em.flush();
    return service;
  }

  /** A client of the organization: a preferred name, unless told more. */
  async client(
    organization: Organization,
    overrides: Partial<
      Pick<
        Client,
        'preferredName' | 'legalName' | 'birthYear' | 'pronouns' | 'languages' | 'municipalIdNumber' | 'needs'
      >
    > = {},
  ): Promise<Client> {
    const em = this.em();
    const client = em.create(Client, {
      organization: em.getReference(Organization, organization.id),
      preferredName: overrides.preferredName ?? `Client ${randomUUID().slice(0, 8)}`,
      ...overrides,
    });
    await em.flush();
    return client;
  }

  /**
   * A consent of the client (held by the client's organization) naming these organizations: by
   * default given now, for 30 days, sharing NEEDS. `revoked` stores it revoked.
   */
  async consent(
    client: Client,
    recipients: Organization[],
    overrides: Partial<Pick<Consent, 'purpose' | 'dataCategories' | 'givenAt' | 'expiresAt'>> & {
      revoked?: boolean;
    } = {},
  ): Promise<Consent> {
    const em = this.em();
    const givenAt = overrides.givenAt ?? new Date();
    const revokedAt = overrides.revoked ? new Date() : null;
    const consent = em.create(Consent, {
      client: em.getReference(Client, client.id),
      organization: em.getReference(Organization, client.organization.id),
      recipientOrganizationIds: recipients.map((recipient) => recipient.id),
      purpose: overrides.purpose ?? ConsentPurpose.SERVICE_REFERRAL,
      dataCategories: overrides.dataCategories ?? (recipients.length > 0 ? [ConsentDataCategory.NEEDS] : []),
      method: ConsentMethod.VERBAL,
      language: 'en',
      noticeVersion: 'test-1',
      recordedBy: randomUUID(),
      givenAt,
      expiresAt: overrides.expiresAt ?? new Date(givenAt.getTime() + 30 * 86_400_000),
      revokedAt,
      revokedBy: revokedAt ? randomUUID() : null,
      revocationReason: revokedAt ? ConsentRevocationReason.CLIENT_WITHDREW : null,
    });
    await em.flush();
    return consent;
  }

  /**
   * A referral of the consent's client to the service, stored directly in `status` (with its SEND
   * step; a COMPLETED one gets an outcome). The consent must name the service's organization.
   */
  async referral(
    consent: Consent,
    service: ServiceOffering,
    overrides: { status?: ReferralStatus; priority?: ReferralPriority; reason?: string; sentAt?: Date } = {},
  ): Promise<Referral> {
    const em = this.em();
    const sentAt = overrides.sentAt ?? new Date();
    const status = overrides.status ?? ReferralStatus.SENT;
    const referral = em.create(Referral, {
      client: em.getReference(Client, consent.client.id),
      sendingOrganization: em.getReference(Organization, consent.organization.id),
      receivingOrganization: em.getReference(Organization, service.organization.id),
      service: em.getReference(ServiceOffering, service.id),
      consent: em.getReference(Consent, consent.id),
      status,
      outcome: status === ReferralStatus.COMPLETED ? ReferralOutcome.SERVICE_PROVIDED : null,
      priority: overrides.priority ?? ReferralPriority.ROUTINE,
      reason: overrides.reason ?? 'Needs the service',
      sentBy: randomUUID(),
      sentAt,
      updatedAt: sentAt,
    });
    em.create(ReferralTransition, {
      referral,
      action: ReferralAction.SEND,
      toStatus: ReferralStatus.SENT,
      side: ReferralSide.SENDER,
      organization: em.getReference(Organization, consent.organization.id),
      actorKind: ReferralActorKind.STAFF,
      actorId: referral.sentBy,
      at: sentAt,
    });
    await em.flush();
    return referral;
  }

  /** A webhook endpoint of the organization (no limit checked), its secret sealed as Harbour seals it; returns the plain secret too. */
  async webhookEndpoint(
    organization: Organization,
    url = 'https://hooks.partner.example/in',
  ): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const em = this.em();
    const id = randomUUID();
    const secret = generateWebhookSecret();
    const endpoint = em.create(WebhookEndpoint, {
      id,
      organization: em.getReference(Organization, organization.id),
      url,
      secretSealed: new SecretBox(this.t.config.webhooks.secretKey).seal(secret, `webhook_endpoint:${id}`),
      createdBy: randomUUID(),
    });
    await em.flush();
    return { endpoint, secret };
  }

  /** A delivery to the endpoint that already SUCCEEDED (a body of ids, no attempt). */
  async webhookDelivery(endpoint: WebhookEndpoint): Promise<WebhookDelivery> {
    const em = this.em();
    const delivery = em.create(WebhookDelivery, {
      endpoint: em.getReference(WebhookEndpoint, endpoint.id),
      eventId: randomUUID(),
      eventType: 'webhook.test',
      body: JSON.stringify({
        type: 'webhook.test',
        timestamp: new Date().toISOString(),
        data: { endpointId: endpoint.id },
      }),
      status: WebhookDeliveryStatus.SUCCEEDED,
      nextAttemptAt: null,
      createdAt: new Date(),
    });
    await em.flush();
    return delivery;
  }

  /** A published training module (version 1 unless given), for ALL unless an area is given. */
  async trainingModule(
    options: { serviceArea?: ServiceArea | null; version?: number; title?: string } = {},
  ): Promise<TrainingModule> {
    const em = this.em();
    const publisher = em.create(StaffAccount, {
      email: `publisher-${randomUUID().slice(0, 8)}@example.test`,
      displayName: 'Training publisher',
      passwordHash: null,
    });
    const module = em.create(TrainingModule, {
      serviceArea: options.serviceArea ?? null,
      title: options.title ?? `Training ${randomUUID().slice(0, 8)}`,
      summary: 'What every person must know before seeing client data.',
      url: 'https://training.example.test/module',
      version: options.version ?? 1,
      publishedBy: publisher,
    });
    await em.flush();
    return module;
  }

  /** The person has acknowledged the module's current version (or the version given). */
  async acknowledge(accountId: string, module: TrainingModule, version = module.version): Promise<void> {
    const em = this.em();
    em.create(TrainingAcknowledgement, {
      account: em.getReference(StaffAccount, accountId),
      module: em.getReference(TrainingModule, module.id),
      version,
    });
    await em.flush();
  }

  /** Every person has acknowledged every current module: nobody is held back by the training gate. */
  async acknowledgeEverything(): Promise<void> {
    await this.em().execute(
      `insert into training_acknowledgement (id, account_id, module_id, version, acknowledged_at)
       select gen_random_uuid(), a.id, t.id, t.version, now() from staff_account a cross join training_module t
       on conflict (account_id, module_id, version) do nothing`,
    );
  }
}
