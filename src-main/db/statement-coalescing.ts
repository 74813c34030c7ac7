/**
 * mysql2 runs one command at a time per connection: a statement queued behind another is sent only
 * once the event loop has read the previous answer. Inside a unit of work whose statements are sent
 * without waiting (Tx.defer), each of them would still cost one round trip and one turn of a busy
 * event loop. This joins the statements a unit of work hands to its connection in one go (the same
 * turn of the event loop, up to the next process tick) into ONE multi-statement query: one packet,
 * one round trip, MariaDB executing them in order.
 *
 * Failure semantics are those of sending them one by one: MariaDB stops at the first failing
 * statement; the ones before it have their results, the failing one its error, and the ones after
 * it (not executed) are sent again as the next group — just as they would have run after the error
 * (code may catch a duplicate key and go on; a deadlock victim's later statements run in a new
 * implicit transaction that the ROLLBACK discards, see Store.mysqlTransaction).
 *
 * Needs `multipleStatements` on the pool. Every statement is formatted with its parameters by the
 * driver's own escaping (`connection.format`), exactly as a single query would be.
 */

type Done = (err: unknown, rows?: unknown, fields?: unknown) => void;

/** The parts of mysql2's Query command that tell how far a multi-statement query got. */
interface QueryCommand {
  _resultIndex: number;
  _rows: unknown[];
  _fields: unknown[];
}

interface CoreConnection {
  query(sql: unknown, values?: unknown, cb?: unknown): unknown;
  format(sql: string, values: unknown): string;
}

/** Starts joining the statements sent on `connection`; the returned function stops it (before the connection goes back to the pool). */
export function coalesceStatements(connection: unknown): () => void {
  const conn = connection as CoreConnection;
  const original = conn.query;
  let pending: { sql: string; done: Done }[] = [];

  const flush = (): void => {
    const group = pending;
    pending = [];
    if (!group.length) return;
    if (group.length === 1) {
      original.call(conn, group[0]!.sql, group[0]!.done);
      return;
    }
    let command: QueryCommand | undefined = undefined;
    const onResult: Done = (err, rows, fields) => {
      if (!err) {
        const results = rows as unknown[];
        const fieldSets = fields as unknown[] | undefined;
        group.forEach((g, i) => g.done(null, results[i], fieldSets?.[i]));
        return;
      }
      // How many statements completed before the error (mysql2's count of finished result sets).
      const completed = command && !(err as { fatal?: boolean }).fatal ? command._resultIndex : 0;
      const doneRows = command?._rows ?? [];
      const doneFields = command?._fields ?? [];
      group.slice(0, completed).forEach((g, i) => g.done(null, doneRows[i], doneFields[i]));
      group[completed]?.done(err);
      const notRun = group.slice(completed + 1);
      if ((err as { fatal?: boolean }).fatal) for (const g of notRun) g.done(err);
      else if (notRun.length) {
        // Ahead of anything queued meanwhile: the same order as one by one.
        pending = [...notRun, ...pending];
        flush();
      }
    };
    command = original.call(conn, group.map((g) => g.sql).join(';\n'), onResult) as QueryCommand | undefined;
  };

  conn.query = function (sql: unknown, values?: unknown, cb?: unknown) {
    const callback = (typeof values === 'function' ? values : cb) as Done | undefined;
    const params = typeof values === 'function' ? undefined : values;
    // Anything but a plain text statement with a callback (a streamed read, query options): sent as is, after what is already waiting.
    if (typeof sql !== 'string' || !callback) {
      flush();
      return original.call(conn, sql, values, cb);
    }
    pending.push({ sql: conn.format(sql, params ?? []), done: callback });
    if (pending.length === 1) process.nextTick(flush);
    return undefined;
  };

  return () => {
    flush();
    conn.query = original;
  };
}
