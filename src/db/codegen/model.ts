// The entity model: schema.graphql parsed (graphql-js parse + visit, no schema execution) into the
// tables, columns and keys that the generators (sql.ts, typescript.ts, prisma.ts) render.
//
// The file is an entity schema, not an API schema: every object type is a table (@entity), every
// field a column of a built-in or custom scalar. Anything else (relations, enums, interfaces, input
// types, arguments, nested lists, floats) is rejected with an error naming the place, so the three
// generated outputs can never disagree about what a table holds.

import { readFileSync } from 'node:fs';
import {
  GraphQLError,
  Kind,
  Source,
  parse,
  valueFromASTUntyped,
  visit,
  type ASTNode,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type ObjectTypeDefinitionNode,
  type TypeNode,
} from 'graphql';

/** The scalars a column may have, and their PostgreSQL types. */
export const SCALAR_SQL_TYPES = {
  String: 'text',
  Int: 'integer',
  Boolean: 'boolean',
  BigInt: 'numeric(78,0)',
  Decimal: 'numeric(38,18)',
  DateTime: 'timestamptz',
  JSON: 'jsonb',
} as const;

export type ScalarName = keyof typeof SCALAR_SQL_TYPES;

const CUSTOM_SCALARS: ReadonlySet<string> = new Set(['BigInt', 'Decimal', 'DateTime', 'JSON']);
const BUILTIN_SCALARS: ReadonlySet<string> = new Set(['String', 'Int', 'Boolean', 'Float', 'ID']);
const KNOWN_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  entity: ['table', 'history', 'doc'],
  key: ['fields'],
  index: ['fields', 'name'],
  unique: ['fields', 'name'],
};

/** PostgreSQL's identifier limit (NAMEDATALEN - 1). */
const MAX_IDENTIFIER = 63;
const SQL_IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const GRAPHQL_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

export interface ColumnModel {
  /** GraphQL field name (camelCase): the TypeScript and Prisma property. */
  field: string;
  /** SQL column name (snake_case). */
  column: string;
  /** GraphQL scalar of the column (of its items for a list). */
  graphqlType: ScalarName;
  /** PostgreSQL type, with `[]` for lists (e.g. `text[]`). */
  sqlType: string;
  nullable: boolean;
  array: boolean;
  /** The field's description, if any. */
  description?: string;
}

export interface IndexModel {
  /** SQL index name (given with `name:` or derived: `<table>_<columns>_idx` / `_key`). */
  name: string;
  /** GraphQL field names, in index order. */
  fields: string[];
  /** SQL column names, in index order. */
  columns: string[];
  unique: boolean;
}

export interface TableModel {
  /** SQL table name. */
  name: string;
  /** GraphQL type name: the TypeScript interface and Prisma model name. */
  typeName: string;
  /** @entity(doc:), else the type's description. */
  doc?: string;
  /** @entity(history: true): an append-only history table. */
  history: boolean;
  /** Columns in declaration order. */
  columns: ColumnModel[];
  /** Primary key as GraphQL field names, in key order. */
  primaryKey: string[];
  /** Primary key as SQL column names, in key order. */
  primaryKeyColumns: string[];
  /** @index directives, in declaration order. */
  indexes: IndexModel[];
  /** @unique directives, in declaration order. */
  uniques: IndexModel[];
}

export interface SchemaModel {
  /** Tables in declaration order. */
  tables: TableModel[];
}

/** A problem in the entity schema; `message` names the file, line and column. */
export class EntitySchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EntitySchemaError';
  }
}

/** `chainId` → `chain_id`, `bech32Prefix` → `bech32_prefix`, `IBCPacket` → `ibc_packet`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** Reads and parses an entity schema file. */
export function loadEntitySchema(path: string): SchemaModel {
  return parseEntitySchema(readFileSync(path, 'utf8'), path);
}

/**
 * Parses the text of an entity schema into its model. Throws EntitySchemaError (listing every
 * problem found, each with its location) when the schema is not a valid entity schema.
 */
export function parseEntitySchema(text: string, sourceName = 'schema.graphql'): SchemaModel {
  const source = new Source(text, sourceName);
  let document: DocumentNode;
  try {
    document = parse(source, { noLocation: false });
  } catch (err) {
    if (err instanceof GraphQLError) throw new EntitySchemaError(err.toString());
    throw err;
  }

  const errors: string[] = [];
  const fail = (node: ASTNode | undefined, message: string) => {
    errors.push(located(source, node, message));
  };

  const objectTypes: ObjectTypeDefinitionNode[] = [];
  const declaredScalars = new Set<string>();
  visit(document, {
    ObjectTypeDefinition(node) {
      objectTypes.push(node);
      return false;
    },
    ScalarTypeDefinition(node) {
      const name = node.name.value;
      if (!CUSTOM_SCALARS.has(name)) {
        fail(node, `unknown scalar ${name}: the known scalars are ${Object.keys(SCALAR_SQL_TYPES).join(', ')}`);
      }
      declaredScalars.add(name);
      return false;
    },
    DirectiveDefinition(node) {
      if (!(node.name.value in KNOWN_DIRECTIVES)) {
        fail(node, `unknown directive @${node.name.value}: the entity schema knows @${Object.keys(KNOWN_DIRECTIVES).join(', @')}`);
      }
      return false;
    },
    SchemaDefinition(node) {
      fail(node, 'a schema definition has no meaning in the entity schema');
      return false;
    },
    OperationDefinition(node) {
      fail(node, 'operations have no meaning in the entity schema');
      return false;
    },
    FragmentDefinition(node) {
      fail(node, 'fragments have no meaning in the entity schema');
      return false;
    },
    enter(node) {
      switch (node.kind) {
        case Kind.INTERFACE_TYPE_DEFINITION:
        case Kind.UNION_TYPE_DEFINITION:
        case Kind.ENUM_TYPE_DEFINITION:
        case Kind.INPUT_OBJECT_TYPE_DEFINITION:
          fail(node, `${node.kind.replace('Definition', '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()} ${node.name.value} is not supported in the entity schema (use String columns)`);
          return false;
        case Kind.SCHEMA_EXTENSION:
        case Kind.SCALAR_TYPE_EXTENSION:
        case Kind.OBJECT_TYPE_EXTENSION:
        case Kind.INTERFACE_TYPE_EXTENSION:
        case Kind.UNION_TYPE_EXTENSION:
        case Kind.ENUM_TYPE_EXTENSION:
        case Kind.INPUT_OBJECT_TYPE_EXTENSION:
          fail(node, 'type extensions are not supported in the entity schema');
          return false;
        default:
          return undefined;
      }
    },
  });

  const isScalar = (name: string) => BUILTIN_SCALARS.has(name) || declaredScalars.has(name) || CUSTOM_SCALARS.has(name);
  const tables: TableModel[] = [];
  const typeNames = new Map<string, ObjectTypeDefinitionNode>();
  const tableNames = new Map<string, string>();
  const indexNames = new Map<string, string>();

  for (const type of objectTypes) {
    const typeName = type.name.value;
    const before = errors.length;
    if (typeNames.has(typeName)) {
      fail(type.name, `duplicate type ${typeName} (first defined at ${where(source, typeNames.get(typeName))})`);
      continue;
    }
    typeNames.set(typeName, type);
    if (!GRAPHQL_NAME.test(typeName)) fail(type.name, `type name ${typeName} must be letters and digits only`);

    const directives = readDirectives(type, fail);
    const entity = directives.get('entity')?.[0];
    if (!entity) {
      fail(type.name, `type ${typeName} has no @entity: every object type of the entity schema is a table`);
      continue;
    }
    const entityArgs = directiveArgs(entity, fail);
    const table = optionalString(entityArgs, 'table', entity, fail) ?? snakeCase(typeName);
    const history = optionalBoolean(entityArgs, 'history', entity, fail) ?? false;
    const doc = optionalString(entityArgs, 'doc', entity, fail) ?? type.description?.value;
    checkIdentifier(table, `table name of ${typeName}`, entity, fail);
    const firstTable = tableNames.get(table);
    if (firstTable !== undefined) fail(entity, `duplicate table ${table}: both ${firstTable} and ${typeName} map to it`);
    else tableNames.set(table, typeName);

    // columns
    const columns: ColumnModel[] = [];
    const byField = new Map<string, ColumnModel>();
    const byColumn = new Map<string, string>();
    for (const field of type.fields ?? []) {
      const col = readColumn(typeName, field, isScalar, fail);
      if (!col) continue;
      if (byField.has(col.field)) {
        fail(field.name, `duplicate field ${typeName}.${col.field}`);
        continue;
      }
      const clash = byColumn.get(col.column);
      if (clash !== undefined) {
        fail(field.name, `fields ${typeName}.${clash} and ${typeName}.${col.field} both map to column ${col.column}`);
        continue;
      }
      checkIdentifier(col.column, `column of ${typeName}.${col.field}`, field.name, fail);
      byField.set(col.field, col);
      byColumn.set(col.column, col.field);
      columns.push(col);
    }
    if (columns.length === 0) fail(type.name, `type ${typeName} has no fields`);

    // keys
    const resolveFields = (node: ConstDirectiveNode, what: string): string[] | undefined => {
      const args = directiveArgs(node, fail);
      const fields = args.get('fields');
      if (!Array.isArray(fields) || fields.length === 0 || !fields.every((f) => typeof f === 'string')) {
        fail(node, `@${node.name.value} on ${typeName} needs fields: a non-empty list of field names`);
        return undefined;
      }
      const names = fields as string[];
      let ok = true;
      const seen = new Set<string>();
      for (const f of names) {
        if (seen.has(f)) {
          fail(node, `${what} of ${typeName} names field ${f} twice`);
          ok = false;
        }
        seen.add(f);
        const col = byField.get(f);
        if (!col) {
          fail(node, `${what} of ${typeName} names field ${f}, which ${typeName} does not have`);
          ok = false;
        } else if (col.array) {
          fail(node, `${what} of ${typeName} names list field ${f}; list columns cannot be keyed or indexed here`);
          ok = false;
        }
      }
      return ok ? names : undefined;
    };

    const keyNodes = directives.get('key') ?? [];
    let primaryKey: string[] = [];
    if (keyNodes.length === 0) {
      fail(type.name, `type ${typeName} has no @key: every table needs a primary key`);
    } else {
      if (keyNodes.length > 1) fail(keyNodes[1], `type ${typeName} has more than one @key`);
      const keyNode = keyNodes[0]!;
      primaryKey = resolveFields(keyNode, '@key') ?? [];
      for (const f of primaryKey) {
        if (byField.get(f)?.nullable) fail(keyNode, `@key of ${typeName} names nullable field ${f}; primary key fields must be non-null (${f}: …!)`);
      }
    }

    const indexModels = (kind: 'index' | 'unique'): IndexModel[] => {
      const out: IndexModel[] = [];
      const seen = new Map<string, string>();
      for (const node of directives.get(kind) ?? []) {
        const fields = resolveFields(node, `@${kind}`);
        if (!fields) continue;
        const columnsOf = fields.map((f) => byField.get(f)!.column);
        const args = directiveArgs(node, fail);
        const name = optionalString(args, 'name', node, fail) ?? `${table}_${columnsOf.join('_')}_${kind === 'unique' ? 'key' : 'idx'}`;
        checkIdentifier(name, `${kind} name on ${typeName}`, node, fail);
        const sig = columnsOf.join(',');
        const dup = seen.get(sig);
        if (dup !== undefined) fail(node, `@${kind}(fields: [${fields.join(', ')}]) on ${typeName} repeats ${dup}`);
        seen.set(sig, name);
        const firstUse = indexNames.get(name);
        if (firstUse !== undefined) fail(node, `index name ${name} is used twice (also on ${firstUse}); give one a different name`);
        indexNames.set(name, typeName);
        out.push({ name, fields, columns: columnsOf, unique: kind === 'unique' });
      }
      return out;
    };
    const indexes = indexModels('index');
    const uniques = indexModels('unique');

    if (errors.length > before) continue;
    const model: TableModel = {
      name: table,
      typeName,
      history,
      columns,
      primaryKey,
      primaryKeyColumns: primaryKey.map((f) => byField.get(f)!.column),
      indexes,
      uniques,
    };
    if (doc !== undefined) model.doc = doc;
    tables.push(model);
  }

  // index and table names share one namespace in PostgreSQL (pg_class)
  for (const [name, typeName] of indexNames) {
    const t = tableNames.get(name);
    if (t !== undefined) errors.push(`${sourceName}: index name ${name} (on ${typeName}) is also the table name of ${t}`);
  }
  if (objectTypes.length === 0 && errors.length === 0) errors.push(`${sourceName}: no @entity types found`);

  if (errors.length > 0) {
    throw new EntitySchemaError(`invalid entity schema (${errors.length} problem${errors.length === 1 ? '' : 's'}):\n  ${errors.join('\n  ')}`);
  }
  return { tables };
}

type Fail = (node: ASTNode | undefined, message: string) => void;

function readColumn(typeName: string, field: FieldDefinitionNode, isScalar: (n: string) => boolean, fail: Fail): ColumnModel | undefined {
  const name = field.name.value;
  const at = `${typeName}.${name}`;
  if (field.arguments && field.arguments.length > 0) {
    fail(field.arguments[0], `field ${at} has arguments; entity fields are plain columns`);
    return undefined;
  }
  if (field.directives && field.directives.length > 0) {
    fail(field.directives[0], `field ${at} has a directive (@${field.directives[0]!.name.value}); directives go on the type`);
    return undefined;
  }
  if (!/^[a-z][A-Za-z0-9]*$/.test(name)) {
    fail(field.name, `field name ${at} must be camelCase letters and digits`);
    return undefined;
  }

  let type: TypeNode = field.type;
  let nullable = true;
  if (type.kind === Kind.NON_NULL_TYPE) {
    nullable = false;
    type = type.type;
  }
  let array = false;
  if (type.kind === Kind.LIST_TYPE) {
    array = true;
    let item = type.type;
    if (item.kind !== Kind.NON_NULL_TYPE) {
      fail(field.type, `list field ${at} must have non-null items ([T!])`);
      return undefined;
    }
    item = item.type;
    if (item.kind === Kind.LIST_TYPE) {
      fail(field.type, `field ${at} is a nested list; only one level of list is supported`);
      return undefined;
    }
    type = item;
  }
  if (type.kind !== Kind.NAMED_TYPE) {
    fail(field.type, `field ${at} has an unsupported type`);
    return undefined;
  }
  const scalar = type.name.value;
  if (scalar === 'Float') {
    fail(type, `field ${at} is Float: amounts and ratios must be exact (use BigInt or Decimal)`);
    return undefined;
  }
  if (scalar === 'ID') {
    fail(type, `field ${at} is ID: use String (the entity schema has no ID semantics)`);
    return undefined;
  }
  if (!(scalar in SCALAR_SQL_TYPES)) {
    fail(
      type,
      isScalar(scalar)
        ? `field ${at} has scalar ${scalar}, which has no column type`
        : `field ${at} has type ${scalar}, which is not a known scalar (${Object.keys(SCALAR_SQL_TYPES).join(', ')}); relations are plain key columns`,
    );
    return undefined;
  }
  const graphqlType = scalar as ScalarName;
  const col: ColumnModel = {
    field: name,
    column: snakeCase(name),
    graphqlType,
    sqlType: SCALAR_SQL_TYPES[graphqlType] + (array ? '[]' : ''),
    nullable,
    array,
  };
  if (field.description) col.description = field.description.value;
  return col;
}

function readDirectives(type: ObjectTypeDefinitionNode, fail: Fail): Map<string, ConstDirectiveNode[]> {
  const out = new Map<string, ConstDirectiveNode[]>();
  for (const d of type.directives ?? []) {
    const name = d.name.value;
    if (!(name in KNOWN_DIRECTIVES)) {
      fail(d, `unknown directive @${name} on ${type.name.value}`);
      continue;
    }
    const list = out.get(name) ?? [];
    if (list.length > 0 && name === 'entity') {
      fail(d, `@entity given twice on ${type.name.value}`);
      continue;
    }
    list.push(d);
    out.set(name, list);
  }
  return out;
}

function directiveArgs(d: ConstDirectiveNode, fail: Fail): Map<string, unknown> {
  const allowed = KNOWN_DIRECTIVES[d.name.value] ?? [];
  const out = new Map<string, unknown>();
  for (const arg of d.arguments ?? []) {
    const name = arg.name.value;
    if (!allowed.includes(name)) {
      fail(arg, `@${d.name.value} has no argument ${name} (it takes ${allowed.join(', ')})`);
      continue;
    }
    out.set(name, valueFromASTUntyped(arg.value));
  }
  return out;
}

function optionalString(args: Map<string, unknown>, name: string, node: ASTNode, fail: Fail): string | undefined {
  const v = args.get(name);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') {
    fail(node, `argument ${name} must be a string`);
    return undefined;
  }
  return v;
}

function optionalBoolean(args: Map<string, unknown>, name: string, node: ASTNode, fail: Fail): boolean | undefined {
  const v = args.get(name);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') {
    fail(node, `argument ${name} must be true or false`);
    return undefined;
  }
  return v;
}

function checkIdentifier(name: string, what: string, node: ASTNode, fail: Fail): void {
  if (!SQL_IDENTIFIER.test(name)) fail(node, `${what} "${name}" is not a lower-case SQL identifier ([a-z_][a-z0-9_]*)`);
  else if (name.length > MAX_IDENTIFIER) fail(node, `${what} "${name}" is longer than PostgreSQL's ${MAX_IDENTIFIER} characters`);
}

function where(source: Source, node: ASTNode | undefined): string {
  const loc = node?.loc;
  if (!loc) return source.name;
  const line = loc.startToken.line;
  const column = loc.startToken.column;
  return `${source.name}:${line}:${column}`;
}

function located(source: Source, node: ASTNode | undefined, message: string): string {
  return `${where(source, node)}: ${message}`;
}
