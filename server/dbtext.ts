// db_text tables for the bundled Kamailio 5.6 (presence, presence_xml, xcap_server, rls, msilo, auth_db, htable,
// topos).
//
// db_text keeps each table in one file: a header line of `name(type[,auto|,null])` columns,
// then one row per line with `:` separated values. Every column except the id is declared
// nullable, because the modules insert NULLs in places the stock schema forbids and db_text
// would reject the row (presence then fails on the first PUBLISH/SUBSCRIBE). Together with the
// module parameter `emptystring=1` this is what makes presence work on db_text.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

type ColumnType = 'int' | 'string' | 'double';

interface TableSchema {
  /** Schema version the 5.6 modules check in the `version` table. */
  version: number;
  /** Columns after the auto-increment `id`. */
  columns: ReadonlyArray<readonly [name: string, type: ColumnType]>;
}

const s = 'string' as const;
const i = 'int' as const;

/** The columns topos_d and topos_t both start with: when, and which call and sides. */
const TOPOS_KEY = [
  ['rectime', i],
  ['x_context', s],
  ['s_method', s],
  ['s_cseq', s],
  ['a_callid', s],
  ['a_uuid', s],
  ['b_uuid', s],
] as const;

/** What active_watchers and rls_watchers both hold of a subscription's dialog, after who and whom. */
const SUBSCRIPTION_DIALOG = [
  ['event', s],
  ['event_id', s],
  ['to_tag', s],
  ['from_tag', s],
  ['callid', s],
  ['local_cseq', i],
  ['remote_cseq', i],
  ['contact', s],
  ['record_route', s],
  ['expires', i],
  ['status', i],
  ['reason', s],
  ['version', i],
  ['socket_info', s],
  ['local_contact', s],
  ['from_user', s],
  ['from_domain', s],
  ['updated', i],
] as const;

/** Column layout of the Kamailio 5.6 schema for the tables Parley's config uses. */
export const TABLES: Readonly<Record<string, TableSchema>> = {
  subscriber: {
    version: 7,
    columns: [
      ['username', s],
      ['domain', s],
      ['password', s],
      ['ha1', s],
      ['ha1b', s],
    ],
  },
  presentity: {
    version: 5,
    columns: [
      ['username', s],
      ['domain', s],
      ['event', s],
      ['etag', s],
      ['expires', i],
      ['received_time', i],
      ['body', s],
      ['sender', s],
      ['priority', i],
      ['ruid', s],
    ],
  },
  active_watchers: {
    version: 12,
    columns: [
      ['presentity_uri', s],
      ['watcher_username', s],
      ['watcher_domain', s],
      ['to_user', s],
      ['to_domain', s],
      ...SUBSCRIPTION_DIALOG,
      ['updated_winfo', i],
      ['flags', i],
      ['user_agent', s],
    ],
  },
  watchers: {
    version: 3,
    columns: [
      ['presentity_uri', s],
      ['watcher_username', s],
      ['watcher_domain', s],
      ['event', s],
      ['status', i],
      ['reason', s],
      ['inserted_time', i],
    ],
  },
  xcap: {
    version: 4,
    columns: [
      ['username', s],
      ['domain', s],
      ['doc', s],
      ['doc_type', i],
      ['etag', s],
      ['source', i],
      ['doc_uri', s],
      ['port', i],
    ],
  },
  // rls: list subscriptions (one row per watcher's list dialog) and what the members' NOTIFYs said
  rls_watchers: {
    version: 3,
    columns: [
      ['presentity_uri', s],
      ['to_user', s],
      ['to_domain', s],
      ['watcher_username', s],
      ['watcher_domain', s],
      ...SUBSCRIPTION_DIALOG,
    ],
  },
  rls_presentity: {
    version: 1,
    columns: [
      ['rlsubs_did', s],
      ['resource_uri', s],
      ['content_type', s],
      ['presence_state', s],
      ['expires', i],
      ['updated', i],
      ['auth_state', i],
      ['reason', s],
    ],
  },
  pua: {
    version: 7,
    columns: [
      ['pres_uri', s],
      ['pres_id', s],
      ['event', i],
      ['expires', i],
      ['desired_expires', i],
      ['flag', i],
      ['etag', s],
      ['tuple_id', s],
      ['watcher_uri', s],
      ['call_id', s],
      ['to_tag', s],
      ['from_tag', s],
      ['cseq', i],
      ['record_route', s],
      ['contact', s],
      ['remote_contact', s],
      ['version', i],
      ['extra_headers', s],
    ],
  },
  silo: {
    version: 8,
    columns: [
      ['src_addr', s],
      ['dst_addr', s],
      ['username', s],
      ['domain', s],
      ['inc_time', i],
      ['exp_time', i],
      ['snd_time', i],
      ['ctype', s],
      ['body', s],
      ['extra_hdrs', s],
      ['callid', s],
      ['status', i],
    ],
  },
  // topos (topology hiding): one row per relayed dialog, one per relayed branch
  topos_d: {
    version: 2,
    columns: [
      ...TOPOS_KEY,
      ['a_contact', s],
      ['b_contact', s],
      ['as_contact', s],
      ['bs_contact', s],
      ['a_tag', s],
      ['b_tag', s],
      ['a_rr', s],
      ['b_rr', s],
      ['s_rr', s],
      ['iflags', i],
      ['a_uri', s],
      ['b_uri', s],
      ['r_uri', s],
      ['a_srcaddr', s],
      ['b_srcaddr', s],
      ['a_socket', s],
      ['b_socket', s],
    ],
  },
  topos_t: {
    version: 2,
    columns: [
      ...TOPOS_KEY,
      ['direction', i],
      ['x_via', s],
      ['x_vbranch', s],
      ['x_rr', s],
      ['y_rr', s],
      ['s_rr', s],
      ['x_uri', s],
      ['a_contact', s],
      ['b_contact', s],
      ['as_contact', s],
      ['bs_contact', s],
      ['x_tag', s],
      ['a_tag', s],
      ['b_tag', s],
      ['a_srcaddr', s],
      ['b_srcaddr', s],
      ['a_socket', s],
      ['b_socket', s],
    ],
  },
  htable: {
    version: 2,
    columns: [
      ['key_name', s],
      ['key_type', i],
      ['value_type', i],
      ['key_value', s],
      ['expires', i],
    ],
  },
};

export type Row = ReadonlyArray<string | number | null>;

/** Escape one value for a db_text row (`:` separates, `\` escapes, rows are single lines). */
function escapeValue(value: string | number | null): string {
  if (value === null) return '';
  return String(value).replace(/\\/g, '\\\\').replace(/:/g, '\\:').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

function header(schema: TableSchema): string {
  const cols = schema.columns.map(([name, type]) => `${name}(${type},null)`);
  return ['id(int,auto)', ...cols].join(' ');
}

/** Tables holding server state (offline messages, presence, hidden dialogs) that survive a restart in the same run dir. */
const STATE_TABLES = new Set([
  'presentity',
  'active_watchers',
  'watchers',
  'xcap',
  'rls_watchers',
  'rls_presentity',
  'pua',
  'silo',
  'topos_d',
  'topos_t',
]);

/** Whether `file` is a db_text table with exactly this header (so its rows can be kept). */
async function hasHeader(file: string, expected: string): Promise<boolean> {
  try {
    const text = await readFile(file, 'utf8');
    return text.slice(0, text.indexOf('\n')) === expected;
  } catch {
    return false;
  }
}

/**
 * Write the `version` table and every table in TABLES into `dbDir`; `rows` gives initial
 * rows per table (values for the columns after `id`, which is numbered from 1). State tables
 * already present with the same layout are kept (Kamailio writes them back when it stops), so
 * a reused run directory keeps stored messages and presence; user tables are always rewritten.
 */
export async function writeDbText(dbDir: string, rows: Readonly<Record<string, readonly Row[]>> = {}): Promise<void> {
  await mkdir(dbDir, { recursive: true });
  const versionLines = ['id(int,auto) table_name(string) table_version(int)', '1:version:1'];
  let versionId = 2;
  for (const [name, schema] of Object.entries(TABLES)) {
    versionLines.push(`${versionId++}:${name}:${schema.version}`);
    const file = join(dbDir, name);
    if (STATE_TABLES.has(name) && !rows[name] && (await hasHeader(file, header(schema)))) continue;
    const lines = [header(schema)];
    (rows[name] ?? []).forEach((row, index) => {
      if (row.length !== schema.columns.length) {
        throw new Error(`db_text ${name}: row has ${row.length} values, table has ${schema.columns.length} columns`);
      }
      lines.push([index + 1, ...row].map(escapeValue).join(':'));
    });
    await writeFile(file, lines.join('\n') + '\n');
  }
  await writeFile(join(dbDir, 'version'), versionLines.join('\n') + '\n');
}
