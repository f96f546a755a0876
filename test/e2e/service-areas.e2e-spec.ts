/**
 * Service areas and their leads (docs/design.md, Accountability): every area of the fixed list with
 * its one accountable lead, the organizations and active services working in it, and a flag on
 * the areas that have services but nobody answering for them. At most one active lead per area,
 * enforced by the database, whatever the path: a role change, an invitation, its acceptance, a race.
 */
import { Role } from '@harbour/authz';
import { ServiceArea } from '../../src/common/service-area';
import { ServiceStatus } from '../../src/modules/directory/directory.enums';
import { ServiceOffering } from '../../src/modules/directory/service-offering.entity';
import { Organization } from '../../src/modules/organizations/organization.entity';
import { Invitation } from '../../src/modules/staff/invitation.entity';
import { Membership } from '../../src/modules/staff/membership.entity';
import { Fixtures, type StaffFixture } from '../support/fixtures';
import { codeOf, dataOf } from '../support/responses';
import { startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app';

const SERVICE_AREAS = `{ serviceAreas {
  area hasLead needsLead memberOrganizationCount activeServiceCount
  lead { displayName organizationId organizationName email phone }
} }`;
const SET_ROLES =
  'mutation ($input: SetStaffRolesInput!) { setStaffRoles(input: $input) { staffMember { accountId roles leadServiceArea } warnings { field } } }';
const CREATE =
  'mutation ($input: CreateStaffAccountInput!) { createStaffAccount(input: $input) { invitationToken invitation { id } } }';
const ACCEPT = 'mutation ($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { accessToken } }';

interface Overview {
  area: string;
  hasLead: boolean;
  needsLead: boolean;
  memberOrganizationCount: number;
  activeServiceCount: number;
  lead: {
    displayName: string;
    organizationId: string;
    organizationName: string;
    email: string | null;
    phone: string | null;
  } | null;
}

interface SetRoles {
  setStaffRoles: { staffMember: { accountId: string; roles: string[]; leadServiceArea: string | null } };
}

function fieldsOf(response: GraphQLResponse<unknown>): string[] {
  return ((response.errors?.[0]?.extensions?.fields as { field: string }[] | undefined) ?? []).map((p) => p.field);
}

describe('Service areas', () => {
  let t: TestApp;
  let f: Fixtures;
  let operator: Organization;
  let admin: StaffFixture & { token: string };

  beforeAll(async () => {
    t = await startTestApp();
    f = new Fixtures(t);
    operator = await f.operator();
    await t.orm.em
      .fork()
      .nativeUpdate(Organization, { id: operator.id }, { email: 'access@city.example', phone: '+1 555 0100' });
    admin = await f.signedIn(operator, [Role.NETWORK_ADMIN]);
  });
  afterAll(() => t.close());

  const overview = async (token = admin.token): Promise<Map<string, Overview>> =>
    new Map(
      dataOf(await t.gql<{ serviceAreas: Overview[] }>(SERVICE_AREAS, {}, token)).serviceAreas.map((a) => [a.area, a]),
    );
  const leadsOf = (area: ServiceArea) => t.orm.em.fork().find(Membership, { leadServiceArea: area, active: true });
  const setRoles = (person: StaffFixture, roles: Role[], area?: ServiceArea, replaceLead?: boolean) =>
    t.gql<SetRoles>(
      SET_ROLES,
      { input: { accountId: person.accountId, roles, leadServiceArea: area, replaceLead } },
      admin.token,
    );

  describe('serviceAreas', () => {
    it('lists every area of the fixed list, in its order, for any signed-in caller', async () => {
      const someone = await f.signedIn(await f.organization(), [Role.INTAKE]);
      expect([...(await overview(someone.token)).keys()]).toEqual(Object.values(ServiceArea));
    });

    it("counts active organizations listing the area and ACTIVE services of active organizations, names the lead with the operator's contact, and flags areas with services but no lead", async () => {
      const food = await f.organization({ serviceAreas: [ServiceArea.FOOD, ServiceArea.LEGAL] });
      const pantry = await f.organization({ serviceAreas: [ServiceArea.FOOD] });
      const closed = await f.organization({ serviceAreas: [ServiceArea.FOOD], active: false });
      await f.service(food, { serviceArea: ServiceArea.FOOD });
      const paused = await f.service(food, { serviceArea: ServiceArea.FOOD });
      await t.orm.em.fork().nativeUpdate(ServiceOffering, { id: paused.id }, { status: ServiceStatus.INACTIVE });
      await f.service(closed, { serviceArea: ServiceArea.FOOD });
      await f.service(pantry, { serviceArea: ServiceArea.LEGAL });
      await f.staff(operator, [Role.SERVICE_AREA_LEAD], { leadServiceArea: ServiceArea.FOOD, active: false });
      const lead = await f.staff(operator, [Role.SERVICE_AREA_LEAD], { leadServiceArea: ServiceArea.LEGAL });

      const areas = await overview();
      expect(areas.get('FOOD')).toEqual({
        area: 'FOOD',
        hasLead: false,
        needsLead: true,
        memberOrganizationCount: 2,
        activeServiceCount: 1,
        lead: null,
      });
      expect(areas.get('LEGAL')).toEqual({
        area: 'LEGAL',
        hasLead: true,
        needsLead: false,
        memberOrganizationCount: 1,
        activeServiceCount: 1,
        lead: {
          displayName: `Staff ${lead.email}`,
          organizationId: operator.id,
          organizationName: operator.name,
          email: 'access@city.example',
          phone: '+1 555 0100',
        },
      });
      // No services, no lead: nothing to flag.
      expect(areas.get('RECREATION')).toMatchObject({ hasLead: false, needsLead: false, activeServiceCount: 0 });
    });

    it("shows the lead's name in the operator, never their own sign-in email", async () => {
      const lead = await f.staff(operator, [Role.SERVICE_AREA_LEAD], { leadServiceArea: ServiceArea.LIBRARY });
      await t.orm.em.fork().nativeUpdate(Membership, { account: lead.accountId }, { displayName: 'Library lead' });
      const response = await t.gql<{ serviceAreas: Overview[] }>(SERVICE_AREAS, {}, admin.token);
      expect(dataOf(response).serviceAreas.find((a) => a.area === 'LIBRARY')!.lead!.displayName).toBe('Library lead');
      expect(JSON.stringify(response.data)).not.toContain(lead.email);
    });
  });

  describe('one lead per area', () => {
    it('is enforced by the database itself', async () => {
      await f.staff(operator, [Role.SERVICE_AREA_LEAD], { leadServiceArea: ServiceArea.SETTLEMENT });
      await expect(
        f.staff(operator, [Role.SERVICE_AREA_LEAD], { leadServiceArea: ServiceArea.SETTLEMENT }),
      ).rejects.toThrow(/membership_one_active_lead_per_area/);
      // A deactivated lead does not count.
      await f.staff(operator, [Role.SERVICE_AREA_LEAD], { leadServiceArea: ServiceArea.SETTLEMENT, active: false });
    });

    it('refuses to name a second lead with CONFLICT naming the field, and changes nothing', async () => {
      const current = await f.staff(operator, [Role.SERVICE_AREA_LEAD], { leadServiceArea: ServiceArea.HOUSING });
      const next = await f.staff(operator, [Role.AUDITOR]);
      const refused = await setRoles(next, [Role.AUDITOR, Role.SERVICE_AREA_LEAD], ServiceArea.HOUSING);
      expect(codeOf(refused)).toBe('CONFLICT');
      expect(fieldsOf(refused)).toEqual(['input.leadServiceArea']);
      expect(refused.errors![0].message).toMatch(/replaceLead/);
      expect((await leadsOf(ServiceArea.HOUSING)).map((m) => m.account.id)).toEqual([current.accountId]);
    });

    it("replaces the lead when asked: the previous lead's role for the area is withdrawn in the same audited change", async () => {
      const previous = await f.staff(operator, [Role.AUDITOR, Role.SERVICE_AREA_LEAD], {
        leadServiceArea: ServiceArea.EDUCATION,
      });
      const next = await f.staff(operator, []);
      const replaced = await setRoles(next, [Role.SERVICE_AREA_LEAD], ServiceArea.EDUCATION, true);
      expect(dataOf(replaced).setStaffRoles.staffMember).toMatchObject({
        roles: ['SERVICE_AREA_LEAD'],
        leadServiceArea: 'EDUCATION',
      });
      const memberships = await t.orm.em
        .fork()
        .find(Membership, { account: { $in: [previous.accountId, next.accountId] }, organization: operator });
      const of = (id: string) => memberships.find((m) => m.account.id === id)!;
      expect(of(previous.accountId)).toMatchObject({ roles: [Role.AUDITOR], leadServiceArea: null, active: true });
      expect(of(next.accountId)).toMatchObject({ leadServiceArea: ServiceArea.EDUCATION });
      expect((await overview()).get('EDUCATION')!.lead!.displayName).toBe(`Staff ${next.email}`);

      const events = await t.orm.em
        .fork()
        .getConnection()
        .execute<{ entity_id: string; request_id: string; outcome: string; details: Record<string, unknown> }[]>(
          `select entity_id, request_id, outcome, details from audit_event
           where action = 'staff.roles.set' and entity_id in (?, ?) order by seq`,
          [previous.accountId, next.accountId],
        );
      expect(events.map((e) => [e.entity_id, e.outcome])).toEqual([
        [previous.accountId, 'SUCCESS'],
        [next.accountId, 'SUCCESS'],
      ]);
      expect(new Set(events.map((e) => e.request_id)).size).toBe(1);
      expect(events[0].details).toMatchObject({ leadServiceArea: null, replacedBy: next.accountId });
    });

    it('does not let an administrator who is the lead replace themselves', async () => {
      const leadAdmin = await f.signedIn(operator, [Role.NETWORK_ADMIN, Role.SERVICE_AREA_LEAD], {
        leadServiceArea: ServiceArea.EMPLOYMENT,
      });
      const next = await f.staff(operator, []);
      const refused = await t.gql(
        SET_ROLES,
        {
          input: {
            accountId: next.accountId,
            roles: ['SERVICE_AREA_LEAD'],
            leadServiceArea: 'EMPLOYMENT',
            replaceLead: true,
          },
        },
        leadAdmin.token,
      );
      expect(codeOf(refused)).toBe('FORBIDDEN');
      expect((await leadsOf(ServiceArea.EMPLOYMENT)).map((m) => m.account.id)).toEqual([leadAdmin.accountId]);
    });

    it('refuses an invitation naming a second lead, with CONFLICT naming the field', async () => {
      await f.staff(operator, [Role.SERVICE_AREA_LEAD], { leadServiceArea: ServiceArea.COMMUNITY_CENTRE });
      const refused = await t.gql(
        CREATE,
        {
          input: {
            email: 'second-lead@example.test',
            displayName: 'Second lead',
            roles: ['SERVICE_AREA_LEAD'],
            leadServiceArea: 'COMMUNITY_CENTRE',
          },
        },
        admin.token,
      );
      expect(codeOf(refused)).toBe('CONFLICT');
      expect(fieldsOf(refused)).toEqual(['input.leadServiceArea']);
    });

    it('refuses the acceptance of an invitation whose area got its lead meanwhile, and leaves the invitation pending', async () => {
      const invited = dataOf(
        await t.gql<{ createStaffAccount: { invitationToken: string; invitation: { id: string } } }>(
          CREATE,
          {
            input: {
              email: 'late-lead@example.test',
              displayName: 'Late lead',
              roles: ['SERVICE_AREA_LEAD'],
              leadServiceArea: 'RECREATION',
            },
          },
          admin.token,
        ),
      ).createStaffAccount;
      const meanwhile = await f.staff(operator, []);
      dataOf(await setRoles(meanwhile, [Role.SERVICE_AREA_LEAD], ServiceArea.RECREATION));

      const refused = await t.gql(ACCEPT, {
        input: { token: invited.invitationToken, password: 'violet kettle orbit sunrise' },
      });
      expect(codeOf(refused)).toBe('CONFLICT');
      expect(fieldsOf(refused)).toEqual(['input.token']);
      const invitation = await t.orm.em.fork().findOneOrFail(Invitation, invited.invitation.id);
      expect(invitation.acceptedAt).toBeNull();
      expect((await leadsOf(ServiceArea.RECREATION)).map((m) => m.account.id)).toEqual([meanwhile.accountId]);
    });

    it.each([ServiceArea.MENTAL_HEALTH, ServiceArea.CHILD_AND_FAMILY, ServiceArea.INCOME_SUPPORT])(
      'lets exactly one of two concurrent namings of a lead for %s win; the other is CONFLICT, never an internal error',
      async (area) => {
        const [a, b] = [await f.staff(operator, []), await f.staff(operator, [])];
        const answers = await Promise.all([
          setRoles(a, [Role.SERVICE_AREA_LEAD], area),
          setRoles(b, [Role.SERVICE_AREA_LEAD], area),
        ]);
        expect(answers.map(codeOf).sort()).toEqual(['CONFLICT', undefined]);
        expect(answers.map(fieldsOf).flat()).toEqual(['input.leadServiceArea']);
        const winner = answers.find((answer) => !answer.errors)!.data!.setStaffRoles.staffMember.accountId;
        expect((await leadsOf(area)).map((m) => m.account.id)).toEqual([winner]);
      },
    );

    it('never leaves two leads when concurrent changes both ask to replace the lead', async () => {
      const area = ServiceArea.VICTIM_SERVICES;
      await f.staff(operator, [Role.SERVICE_AREA_LEAD], { leadServiceArea: area });
      const [a, b] = [await f.staff(operator, []), await f.staff(operator, [])];
      const answers = await Promise.all([
        setRoles(a, [Role.SERVICE_AREA_LEAD], area, true),
        setRoles(b, [Role.SERVICE_AREA_LEAD], area, true),
      ]);
      expect(answers.every((answer) => !answer.errors || codeOf(answer) === 'CONFLICT')).toBe(true);
      expect(answers.some((answer) => !answer.errors)).toBe(true);
      expect(await leadsOf(area)).toHaveLength(1);
    });
  });
});
