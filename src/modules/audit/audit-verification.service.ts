import {
  AuditCategory,
  AuditTrail,
  auditContextOf,
  checkpointDocument,
  checkpointPayload,
  createCheckpoint,
  entityManagerReader,
  listChains,
  parsePrivateKey,
  verifyChains,
  type AuditLogReader,
  type ChainVerification,
  type SignedCheckpoint,
} from '@harbour/audit';
import { Permission, hasPermission, type Actor } from '@harbour/authz';
import { NotFoundError } from '@harbour/graphql-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { AuditChainVerificationModel } from './models/audit-chain-verification.model';
import { AuditCheckpointModel } from './models/audit-checkpoint.model';

/**
 * Verification of the audit chains and signed checkpoints of their heads. AUDIT_READ reaches the
 * acting organization's chain only (any other chain id is NOT_FOUND, like one that does not exist);
 * AUDIT_READ_NETWORK reaches every chain. Both are recorded in the caller's chain, in the same
 * transaction as the reads.
 */
@Injectable()
export class AuditVerificationService {
  private readonly signingKey: KeyObject;
  private readonly temporaryKey: boolean;

  constructor(
    private readonly audit: AuditTrail,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.signingKey = parsePrivateKey(config.audit.signingKey);
    this.temporaryKey = config.audit.signingKeyGenerated;
  }

  async verify(actor: Actor, chainId: string | null): Promise<AuditChainVerificationModel[]> {
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const reader = entityManagerReader(em);
      const results: ChainVerification[] = [];
      for await (const result of verifyChains(reader, await chainsInReach(reader, actor, chainId)))
        results.push(result);
      audit.record({
        action: 'audit.verify',
        category: AuditCategory.EXECUTE,
        entityType: chainId === null ? null : 'AuditChain',
        entityId: chainId,
        details: { chains: results.length, invalid: results.filter((r) => !r.valid).length },
      });
      return results.map(toVerificationModel);
    });
  }

  async checkpoint(actor: Actor): Promise<AuditCheckpointModel> {
    return this.audit.transaction(auditContextOf(actor), async (em, audit) => {
      const scope = hasPermission(actor, Permission.AUDIT_READ_NETWORK) ? null : [actor.organizationId];
      const signed = await createCheckpoint(entityManagerReader(em), this.signingKey, scope);
      audit.record({
        action: 'audit.checkpoint',
        category: AuditCategory.EXECUTE,
        details: { chains: signed.checkpoint.chains.length },
      });
      return toCheckpointModel(signed, this.temporaryKey);
    });
  }
}

/** The chains the actor may verify, narrowed to `chainId` when one is asked for. */
async function chainsInReach(reader: AuditLogReader, actor: Actor, chainId: string | null): Promise<string[]> {
  if (chainId === null || chainId === actor.organizationId) {
    if (chainId === null && hasPermission(actor, Permission.AUDIT_READ_NETWORK)) return listChains(reader);
    return [actor.organizationId];
  }
  if (!hasPermission(actor, Permission.AUDIT_READ_NETWORK) || !(await listChains(reader)).includes(chainId))
    throw new NotFoundError('AuditChain', chainId);
  return [chainId];
}

function toVerificationModel(result: ChainVerification): AuditChainVerificationModel {
  return {
    chainId: result.chainId,
    valid: result.valid,
    eventsChecked: result.eventsChecked,
    firstInvalidSeq: result.firstInvalidSeq === null ? null : String(result.firstInvalidSeq),
    reason: result.reason,
  };
}

function toCheckpointModel(signed: SignedCheckpoint, temporaryKey: boolean): AuditCheckpointModel {
  const body = signed.checkpoint;
  return {
    version: body.version,
    createdAt: new Date(body.createdAt),
    chains: body.chains.map((c) => ({ chainId: c.chainId, seq: String(c.seq), hash: c.hash })),
    signedPayload: checkpointPayload(body),
    algorithm: signed.algorithm,
    signature: signed.signature,
    publicKey: signed.publicKey,
    temporaryKey,
    document: checkpointDocument(signed),
  };
}
