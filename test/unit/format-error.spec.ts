import {
  BadUserInputError,
  ConflictError,
  DomainError,
  DomainErrorCode,
  NotFoundError,
  errorReportingPlugin,
  formatGraphQLError,
} from '@harbour/graphql-kit';
import { HeaderMap, type GraphQLRequestContextWillSendResponse, type BaseContext } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

const LOCATIONS = [{ line: 1, column: 3 }];

/** What Apollo hands formatError: the formatted error (with its stack in development) and the error. */
function format(error: Error, where: { path?: (string | number)[] } = {}): GraphQLFormattedError {
  const graphQLError =
    error instanceof GraphQLError && where.path === undefined
      ? error
      : new GraphQLError(error.message, {
          path: where.path,
          originalError: error,
          extensions: error instanceof GraphQLError ? error.extensions : {},
        });
  const formatted: GraphQLFormattedError = {
    ...graphQLError.toJSON(),
    locations: LOCATIONS,
    extensions: { ...graphQLError.extensions, stacktrace: (error.stack ?? '').split('\n') },
  };
  return formatGraphQLError(formatted, graphQLError);
}

describe(formatGraphQLError.name, () => {
  describe('domain errors', () => {
    it('keep their code and message', () => {
      expect(format(new NotFoundError('Organization', 'abc'), { path: ['organization'] })).toEqual({
        message: 'Organization not found.',
        locations: LOCATIONS,
        path: ['organization'],
        extensions: { code: 'NOT_FOUND' },
      });
    });

    it('keep the input fields they name', () => {
      const fields = [{ field: 'input.email', message: 'must be an email' }];
      const formatted = format(new BadUserInputError('Invalid input.', fields), { path: ['createOrganization'] });
      expect(formatted.extensions).toEqual({ code: 'BAD_USER_INPUT', fields });
    });

    it.each(Object.values(DomainErrorCode))('map %s to the same extensions.code', (code) => {
      expect(format(new DomainError(code, 'x'), { path: ['field'] }).extensions!.code).toBe(code);
    });

    it('cannot have their code overridden by their details', () => {
      const error = new DomainError(DomainErrorCode.Conflict, 'taken', { code: 'SOMETHING_ELSE' });
      expect(format(error, { path: ['x'] }).extensions!.code).toBe('CONFLICT');
    });

    it('carry no stack trace', () => {
      expect(format(new ConflictError('taken'), { path: ['x'] }).extensions).not.toHaveProperty('stacktrace');
    });
  });

  describe('request errors', () => {
    it.each([
      'GRAPHQL_PARSE_FAILED',
      'GRAPHQL_VALIDATION_FAILED',
      'BAD_USER_INPUT',
      'BAD_REQUEST',
      'OPERATION_RESOLUTION_FAILURE',
    ])('keep the message and code %s', (code) => {
      const formatted = format(
        new GraphQLError('Cannot query field "nope" on type "Query".', { extensions: { code } }),
      );
      expect(formatted).toEqual({
        message: 'Cannot query field "nope" on type "Query".',
        locations: LOCATIONS,
        extensions: { code },
      });
    });

    it('drop extensions other than the code', () => {
      const formatted = format(
        new GraphQLError('Query cost 6000 exceeds the limit of 5000.', {
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED', cost: 6000, http: { status: 400 } },
        }),
      );
      expect(formatted.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    });

    it.each([
      [
        'a field',
        'Cannot query field "mee" on type "Query". Did you mean "me"?',
        'Cannot query field "mee" on type "Query".',
      ],
      [
        'several fields',
        'Cannot query field "nam" on type "Service". Did you mean "name", "email", or "url"?',
        'Cannot query field "nam" on type "Service".',
      ],
      [
        'an enum value',
        'Value "CITY" does not exist in "OrganizationKind" enum. Did you mean the enum value "CITY_DEPARTMENT"?',
        'The value does not exist in "OrganizationKind" enum.',
      ],
      [
        'a variable',
        'Variable "$f" got invalid value { knd: "X" }; Field "knd" is not defined by type "OrganizationsFilterInput". Did you mean "kind"?',
        'Variable "$f" got an invalid value; Field "knd" is not defined by type "OrganizationsFilterInput".',
      ],
    ])('drop the suggestion for %s', (_what, message, expected) => {
      expect(format(new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })).message).toBe(
        expected,
      );
    });
  });

  describe('everything else', () => {
    it('is masked as INTERNAL_SERVER_ERROR, keeping only where it happened', () => {
      const error = new Error('select "s0".* from "service" as "s0" - permission denied for table service');
      expect(format(error, { path: ['services'] })).toEqual({
        message: 'Internal server error.',
        locations: LOCATIONS,
        path: ['services'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
    });

    it('is masked when raised outside a resolver', () => {
      const formatted = format(new GraphQLError('connect ECONNREFUSED 10.0.0.5:5432'));
      expect(formatted).toEqual({
        message: 'Internal server error.',
        locations: LOCATIONS,
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
    });

    it('is masked when it claims a code that is not a request code', () => {
      const formatted = format(
        new GraphQLError('relation "secret_table" does not exist', { extensions: { code: 'DATABASE_ERROR' } }),
      );
      expect(formatted.message).toBe('Internal server error.');
      expect(formatted.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    });
  });

  describe('a database outage', () => {
    const coded = (message: string, code: string) => Object.assign(new Error(message), { code });
    const named = (message: string, name: string) => Object.assign(new Error(message), { name });
    it.each([
      ['a refused connection', coded('connect ECONNREFUSED 10.0.0.5:5432', 'ECONNREFUSED')],
      ['a reset connection', coded('read ECONNRESET', 'ECONNRESET')],
      ['a server shutting down', coded('terminating connection due to administrator command', '57P01')],
      ['a server starting up', coded('the database system is starting up', '57P03')],
      ['no connection slot left', coded('sorry, too many clients already', '53300')],
      ['a connection failure', coded('server closed the connection unexpectedly', '08006')],
      ['a dropped connection', new Error('Connection terminated unexpectedly')],
      ['a dropped connection, as the ORM quotes it', new Error('select 1 - Connection terminated unexpectedly')],
      [
        'a pool with no free connection',
        named('Timeout acquiring a connection. The pool is probably full.', 'KnexTimeoutError'),
      ],
      [
        'an outage wrapped by the ORM',
        new Error('insert failed', { cause: coded('connect ECONNREFUSED 10.0.0.5:5432', 'ECONNREFUSED') }),
      ],
    ])('(%s) is SERVICE_UNAVAILABLE with retryAfter, and names no host', (_what, error) => {
      const formatted = format(error, { path: ['referrals'] });
      expect(formatted).toEqual({
        message: expect.stringMatching(/^Harbour cannot reach its database at the moment\. Retry in 1 second/),
        locations: LOCATIONS,
        path: ['referrals'],
        extensions: { code: 'SERVICE_UNAVAILABLE', retryAfter: 1 },
      });
      expect(JSON.stringify(formatted)).not.toMatch(/10\.0\.0\.5|5432|ECONN|57P|too many/);
    });

    it.each([
      ['a unique violation', coded('duplicate key value violates unique constraint', '23505')],
      ['a permission error', coded('permission denied for table client', '42501')],
      ['a statement timeout', coded('canceling statement due to statement timeout', '57014')],
    ])('is not claimed by %s, which stays masked', (_what, error) => {
      expect(format(error).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    });
  });

  describe('the HTTP answer', () => {
    async function answered(codes: string[]) {
      const plugin = errorReportingPlugin<BaseContext>({ requestId: () => 'r-1', logInternal: () => undefined });
      const listener = await plugin.requestDidStart!({} as never);
      const response = {
        http: { status: undefined as number | undefined, headers: new HeaderMap() },
        body: {
          kind: 'single' as const,
          singleResult: { data: null, errors: codes.map((code) => ({ message: code, extensions: { code } })) },
        },
      };
      await listener!.willSendResponse!({
        response,
        contextValue: {},
      } as unknown as GraphQLRequestContextWillSendResponse<BaseContext>);
      return { status: response.http.status, retryAfter: response.http.headers.get('retry-after') };
    }

    it('is 503 with Retry-After when the database cannot be reached, and left alone otherwise', async () => {
      expect(await answered(['SERVICE_UNAVAILABLE'])).toEqual({ status: 503, retryAfter: '1' });
      expect(await answered(['NOT_FOUND', 'SERVICE_UNAVAILABLE'])).toEqual({ status: 503, retryAfter: '1' });
      expect(await answered(['INTERNAL_SERVER_ERROR'])).toEqual({ status: undefined, retryAfter: undefined });
    });
  });
});
