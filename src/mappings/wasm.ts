// x/wasm: contract discovery. Every `instantiate` event whose code id project.yaml maps to a Mesh
// Security kind registers the contract (including those contracts instantiate themselves:
// native staking and its proxies, virtual staking).
import { requireAttr, requireContractAddress } from '../indexer/decode/attributes.ts';
import type { Mapping, MappingContext } from './context.ts';

function instantiate(ctx: MappingContext): void {
  const address = requireContractAddress(ctx.event);
  const codeId = Number(requireAttr(ctx.event, 'code_id'));
  const kind = ctx.contracts.kindOfCode(codeId);
  if (kind === undefined || ctx.contracts.kindOf(address) !== undefined) return;
  // A top-level MsgInstantiateContract carries the label; sub-message instantiations do not.
  const label = typeof ctx.msg?.value?.label === 'string' && ctx.msg.typeUrl.endsWith('MsgInstantiateContract') ? ctx.msg.value.label : null;
  ctx.contracts.add({ address, kind, codeId, label: label ?? undefined });
  ctx.out.upsert('Contract', {
    chainId: ctx.chainId,
    address,
    kind,
    codeId,
    label,
    owner: null,
    height: ctx.block.height,
    time: ctx.block.time,
    txHash: ctx.tx?.hash ?? null,
  });
}

export const wasmMapping: Mapping = { source: 'module', handlers: { instantiate } };
