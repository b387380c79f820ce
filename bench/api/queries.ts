// The GraphQL documents the API bench sends, and a check of what the account query leaves out of the
// live schema (so the bench notices when the staker view grows a field it does not read).
import { getNamedType, type GraphQLSchema, isObjectType, parse, TypeInfo, visit, visitWithTypeInfo } from 'graphql';

const RANGE = '{ low high }';
const PENDING_TX = 'chainId contract txId kind amount validator lienholder createdHeight createdTime createdTxHash';
const UNBONDING = 'id chainId contract validator amount releaseAt kind state releasable height time txHash releasedHeight releasedTxHash';
const REWARD = 'chainId externalStaking pairingId validator amount error denom withdrawing';

/**
 * The staker view (issue 5): every position of an address, each part read once — the flat lists on
 * Account, and per vault its figures and liens (the per-vault copies of the lists are the same rows).
 */
export const ACCOUNT_QUERY = /* GraphQL */ `
  query StakerView($address: String!) {
    account(address: $address) {
      address
      chains { chainId indexedHeight indexedTime }
      vaults {
        chainId vault collateral freeCollateral ${RANGE} maxLien ${RANGE} totalSlashable ${RANGE} height time indexedHeight
        liens { lienholder kind pairingId consumerChainId amount ${RANGE} slashable pendingTxs { ${PENDING_TX} } height time }
      }
      crossStakes {
        chainId externalStaking pairingId consumerChainId validator stake ${RANGE} pointsAlignment withdrawnRewards
        reward { ${REWARD} } pendingUnbondings { ${UNBONDING} } pendingTxs { ${PENDING_TX} } height time
      }
      localStakes { chainId nativeStaking proxy validator amount height time }
      unbondings { ${UNBONDING} }
      rewards { ${REWARD} }
      pendingTxs { ${PENDING_TX} }
    }
  }`;

const PAGE_INFO = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';

/** A staker's delegation history, newest first: the first page of 20. */
export const DELEGATION_PAGE_QUERY = /* GraphQL */ `
  query DelegationPage($address: String!) {
    delegationHistory(filter: { address: $address }, first: 20) {
      edges { cursor node { id chainId contract staker validator kind side amount stakeAfter ${RANGE} txId status height time txHash msgIndex eventIndex } }
      ${PAGE_INFO}
    }
  }`;

/** A staker's remote-staking lien events (kind filter), a page of 20 after a cursor, with the total count. */
export const LIEN_PAGE_QUERY = /* GraphQL */ `
  query LienPage($address: String!, $after: String, $first: Int!) {
    lienHistory(filter: { address: $address, kind: [STAKE_REMOTE, COMMIT, ROLLBACK] }, first: $first, after: $after) {
      totalCount
      edges { cursor node { id chainId vault staker lienholder kind amount amountAfter ${RANGE} collateralAfter txId height time txHash msgIndex eventIndex } }
      ${PAGE_INFO}
    }
  }`;

export const body = (query: string, variables: Record<string, unknown>): Buffer => Buffer.from(JSON.stringify({ query, variables }));

/** Not part of the staker view: connections (history scenarios) and the same key on other chains. */
const OUTSIDE_VIEW = (field: string): boolean => field.endsWith('History') || field === 'sameKey';
/** Per-vault copies of Account's flat lists: the same rows, read once at the top. */
const READ_ELSEWHERE = new Set(['VaultAccount.crossStakes', 'VaultAccount.localStakes', 'VaultAccount.unbondings', 'VaultAccount.rewards', 'VaultAccount.pendingTxs']);

/**
 * Fields of the types reachable from Query.account that `query` selects nowhere (as `Type.field`),
 * apart from the histories, `sameKey` and the per-vault copies of the flat lists. Throws when the
 * schema has no `account` field.
 */
export function unselectedFields(schema: GraphQLSchema, query: string): string[] {
  const account = schema.getQueryType()?.getFields().account;
  if (!account) throw new Error('the API schema has no Query.account');
  const all = new Set<string>();
  const seen = new Set<string>();
  const walk = (type: ReturnType<typeof getNamedType>): void => {
    if (!isObjectType(type) || seen.has(type.name)) return;
    seen.add(type.name);
    for (const f of Object.values(type.getFields())) {
      if (OUTSIDE_VIEW(f.name)) continue;
      if (!READ_ELSEWHERE.has(`${type.name}.${f.name}`)) all.add(`${type.name}.${f.name}`);
      walk(getNamedType(f.type));
    }
  };
  walk(getNamedType(account.type));
  const typeInfo = new TypeInfo(schema);
  visit(
    parse(query),
    visitWithTypeInfo(typeInfo, {
      Field() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (parent && field) all.delete(`${parent.name}.${field.name}`);
      },
    }),
  );
  return [...all].sort();
}
