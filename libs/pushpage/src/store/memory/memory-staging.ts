import { componentBytes, NewStoredComponent, StoreOp } from '../store';

/** A component as the memory store keeps it. */
export type StoredRecord = NewStoredComponent & { version: number };

function copyOf(record: StoredRecord): StoredRecord {
  return { ...record, children: [...record.children], fields: { ...record.fields } };
}

/**
 * A commit's operations applied to copies of the records they touch, so that the memory
 * store can check what the commit would do (the bytes each scope gains) before it changes
 * anything, then make the changes at once.
 */
export class StagedCommit {
  /** id → the record after the commit; `null` when the commit deletes it */
  private readonly after = new Map<string, StoredRecord | null>();
  /** id → the scope holding it, for the records whose stored bytes may change */
  private readonly homes = new Map<string, string>();

  constructor(private readonly records: ReadonlyMap<string, StoredRecord>) {}

  apply(op: StoreOp): void {
    if (op.op === 'create') {
      const c = op.component;
      this.homes.set(c.id, op.home);
      this.after.set(c.id, {
        ...c,
        children: [...c.children],
        fields: { ...c.fields },
        version: this.get(c.id)?.version ?? 0,
      });
      return;
    }
    const target = this.edit(op.id, op.home);
    if (!target) return;
    switch (op.op) {
      case 'set':
        target.fields[op.field] = op.value;
        break;
      case 'unset':
        delete target.fields[op.field];
        break;
      case 'insert': {
        const existing = target.children.indexOf(op.child);
        if (existing >= 0) target.children.splice(existing, 1);
        const at =
          op.index < 0 || op.index > target.children.length ? target.children.length : op.index;
        target.children.splice(at, 0, op.child);
        const child = this.get(op.child);
        if (child && !child.scope) this.reparent(op.child, op.home, op.id);
        break;
      }
      case 'remove': {
        const i = target.children.indexOf(op.child);
        if (i >= 0) target.children.splice(i, 1);
        const child = this.get(op.child);
        if (child && child.parent === op.id) this.reparent(op.child, op.home, null);
        break;
      }
      case 'delete':
        if (!target.scope) this.deleteTree(target, op.home);
        break;
    }
  }

  /** How many bytes ({@link componentBytes}) each scope the commit touches gains (or loses). */
  bytesGained(): Map<string, number> {
    const gained = new Map<string, number>();
    for (const [id, home] of this.homes) {
      const before = this.records.get(id);
      const after = this.after.get(id);
      const delta =
        (after ? componentBytes(after, home) : 0) - (before ? componentBytes(before, home) : 0);
      gained.set(home, (gained.get(home) ?? 0) + delta);
    }
    return gained;
  }

  /** The records the commit changes (with their new state) and those it deletes. */
  changes(): { written: StoredRecord[]; deleted: string[] } {
    const written: StoredRecord[] = [];
    const deleted: string[] = [];
    for (const [id, record] of this.after) {
      if (record) written.push(record);
      else deleted.push(id);
    }
    return { written, deleted };
  }

  private get(id: string): StoredRecord | undefined {
    return this.after.has(id) ? (this.after.get(id) ?? undefined) : this.records.get(id);
  }

  private edit(id: string, home: string): StoredRecord | undefined {
    const current = this.get(id);
    if (!current) return undefined;
    if (!this.after.has(id)) this.after.set(id, copyOf(current));
    if (!this.homes.has(id)) this.homes.set(id, home);
    return this.after.get(id) ?? undefined;
  }

  private reparent(id: string, home: string, parent: string | null): void {
    const child = this.edit(id, home);
    if (child) child.parent = parent;
  }

  private deleteTree(root: StoredRecord, home: string): void {
    const pending = [root];
    while (pending.length > 0) {
      const c = pending.pop() as StoredRecord;
      if (!this.homes.has(c.id)) this.homes.set(c.id, home);
      this.after.set(c.id, null);
      for (const childId of c.children) {
        const child = this.get(childId);
        if (child && !child.scope && child.parent === c.id) pending.push(child);
      }
    }
  }
}
