import { Button, Div, Span, Textarea, WebPage } from '../../../libs/pushpage/src';
import type { Component, FieldChange } from '../../../libs/pushpage/src/model/component';
import {
  buildPatches,
  CommitFacts,
  numberedPatches,
  patchLog,
  TrackedChange,
} from '../../../libs/pushpage/src/engine/patch-builder';
import type { ScopePatch, WireOp } from '../../../libs/pushpage/src/engine/patch';

const none: CommitFacts = { created: new Set() };

function field(component: Component, change: FieldChange): TrackedChange {
  return { kind: 'field', component, field: change };
}

/** A page holding a button, and a shared element (its own scope) shown on it. */
function pageWithBoard() {
  const page = new WebPage();
  const button = new Button({ text: 'Send', parent: page });
  const board = new Div({ parent: page });
  board.addPage(page);
  const note = new Span({ text: 'hello', parent: board });
  return { page, button, board, note };
}

describe('patch builder', () => {
  describe('field changes', () => {
    const { page, button } = pageWithBoard();
    const json = { rows: [1, 2], label: null };

    it.each<[string, FieldChange, WireOp]>([
      [
        'a prop set, with its value',
        { kind: 'prop', name: 'text', value: 'Go' },
        ['set', button.id, 'text', 'Go'],
      ],
      [
        'a removed prop as unset',
        { kind: 'prop', name: 'disabled', value: undefined },
        ['unset', button.id, 'disabled'],
      ],
      [
        'classes as the prop they are kept in',
        { kind: 'prop', name: 'classes', value: 'bg-red-500 m-2' },
        ['set', button.id, 'classes', 'bg-red-500 m-2'],
      ],
      [
        'a JSON value of a prop as it is',
        { kind: 'prop', name: 'options', value: json },
        ['set', button.id, 'options', json],
      ],
      [
        'a bound event as on, without the handler',
        { kind: 'event', type: 'click', handler: 'Handlers.send' },
        ['on', button.id, 'click'],
      ],
      [
        'a bound event with its properties and throttle',
        {
          kind: 'event',
          type: 'mousemove',
          handler: 'Pad.moved',
          props: ['offsetX'],
          throttle: 250,
        },
        ['on', button.id, 'mousemove', ['offsetX'], 250],
      ],
      [
        'a throttle of 0 too, with no properties',
        { kind: 'event', type: 'scroll', handler: 'Pad.scrolled', throttle: 0 },
        ['on', button.id, 'scroll', [], 0],
      ],
      [
        'an unbound event as off',
        { kind: 'event', type: 'keydown', handler: undefined },
        ['off', button.id, 'keydown'],
      ],
    ])('sends %s', (_, change, op) => {
      const { patches, joins } = buildPatches([field(button, change)], none);
      expect(patches).toEqual([{ s: page.id, v: 0, o: [op] }]);
      expect(joins).toEqual([]);
    });

    it('makes an empty patch for custom data, so its scope still gets a new version', () => {
      const { patches } = buildPatches(
        [
          field(button, { kind: 'data', key: 'count', value: 2 }),
          field(button, { kind: 'data', key: 'gone', value: undefined }),
        ],
        none,
      );
      expect(patches).toEqual([{ s: page.id, v: 0, o: [] }]);
    });
  });

  describe('children', () => {
    it('sends an insert with its index and the nodes of a new child, parents first', () => {
      const { page } = pageWithBoard();
      const box = new Div({ classes: 'box', parent: page });
      const inner = new Span({ text: 'inside', parent: box });
      const { patches, joins } = buildPatches(
        [{ kind: 'insert', parent: page, child: box, index: 1 }],
        { created: new Set([box, inner]) },
      );
      expect(patches).toEqual([
        {
          s: page.id,
          v: 0,
          o: [['ins', page.id, 1, box.id]],
          n: [
            { i: box.id, t: 'div', p: { classes: 'box' }, k: [inner.id] },
            { i: inner.id, t: 'span', p: { text: 'inside' } },
          ],
        },
      ]);
      expect(joins).toEqual([]);
    });

    it('sends no nodes for a child that already exists (a move)', () => {
      const { page, button, board } = pageWithBoard();
      const { patches } = buildPatches(
        [
          { kind: 'remove', parent: page, child: button },
          { kind: 'insert', parent: page, child: button, index: -1 },
        ],
        { created: new Set([board]) },
      );
      expect(patches).toEqual([
        {
          s: page.id,
          v: 0,
          o: [
            ['rm', page.id, button.id],
            ['ins', page.id, -1, button.id],
          ],
        },
      ]);
    });

    it('sends a removal to the scope of the parent, also of a shared element it showed', () => {
      const { page, board, note } = pageWithBoard();
      const { patches } = buildPatches(
        [
          { kind: 'remove', parent: board, child: note },
          { kind: 'remove', parent: page, child: board },
        ],
        none,
      );
      expect(patches).toEqual([
        { s: board.id, v: 0, o: [['rm', board.id, note.id]] },
        { s: page.id, v: 0, o: [['rm', page.id, board.id]] },
      ]);
    });

    it('has tabs of the parent scope join a shared element inserted into it', () => {
      const { board } = pageWithBoard();
      const other = new WebPage();
      const { patches, joins } = buildPatches(
        [{ kind: 'insert', parent: other, child: board, index: 0 }],
        none,
      );
      expect(patches).toEqual([{ s: other.id, v: 0, o: [['ins', other.id, 0, board.id]] }]);
      expect(joins).toEqual([{ scope: other.id, joins: board.id }]);
    });
  });

  describe('scopes', () => {
    it('makes one patch per scope, in the order each was first changed', () => {
      const { page, button, board, note } = pageWithBoard();
      const { patches } = buildPatches(
        [
          field(note, { kind: 'prop', name: 'text', value: 'one' }),
          field(button, { kind: 'prop', name: 'text', value: 'two' }),
          field(note, { kind: 'prop', name: 'text', value: 'three' }),
        ],
        none,
      );
      expect(patches).toEqual([
        {
          s: board.id,
          v: 0,
          o: [
            ['set', note.id, 'text', 'one'],
            ['set', note.id, 'text', 'three'],
          ],
        },
        { s: page.id, v: 0, o: [['set', button.id, 'text', 'two']] },
      ]);
    });

    it('reads the scope a component is in when the commit is built', () => {
      const { board, button } = pageWithBoard();
      const changes = [field(button, { kind: 'prop', name: 'text', value: 'moved' })];
      board.add(button);
      expect(buildPatches(changes, none).patches.map((p) => p.s)).toEqual([board.id]);
    });

    it('leaves out changes to components in no scope', () => {
      const loose = new Div();
      const child = new Span({ parent: loose });
      const { patches, joins } = buildPatches(
        [
          field(loose, { kind: 'prop', name: 'text', value: 'x' }),
          { kind: 'insert', parent: loose, child, index: 0 },
        ],
        none,
      );
      expect(patches).toEqual([]);
      expect(joins).toEqual([]);
    });

    it('has the outer scope join a component that became a scope, which gets an empty patch', () => {
      const page = new WebPage();
      const panel = new Div({ parent: page });
      panel.addPage(page);
      const { patches, joins } = buildPatches([{ kind: 'scope', component: panel }], none);
      expect(joins).toEqual([{ scope: page.id, joins: panel.id }]);
      expect(patches).toEqual([{ s: panel.id, v: 0, o: [] }]);
    });

    it('joins nothing for a scope without a parent', () => {
      const page = new WebPage();
      const { patches, joins } = buildPatches([{ kind: 'scope', component: page }], none);
      expect(joins).toEqual([]);
      expect(patches).toEqual([{ s: page.id, v: 0, o: [] }]);
    });
  });

  describe('typed values', () => {
    it('marks the typed ops of each patch with the typing tab and their count', () => {
      const { page, button, board, note } = pageWithBoard();
      const text = new Textarea({ parent: page });
      const { patches } = buildPatches(
        [
          field(text, { kind: 'prop', name: 'value', value: 'typed' }),
          field(note, { kind: 'prop', name: 'text', value: 'typed too' }),
          field(text, { kind: 'prop', name: 'rows', value: 3 }),
          field(button, { kind: 'prop', name: 'text', value: 'by the handler' }),
        ],
        { typed: { count: 3, origin: 'socket-1' }, created: new Set() },
      );
      expect(patches.map(({ s, o, src, t }) => ({ s, ops: o.length, src, t }))).toEqual([
        { s: page.id, ops: 3, src: 'socket-1', t: 2 },
        { s: board.id, ops: 1, src: 'socket-1', t: 1 },
      ]);
      expect(patches[0].o[2]).toEqual(['set', button.id, 'text', 'by the handler']);
    });

    it('counts only typed changes that tabs are sent', () => {
      const { page, button } = pageWithBoard();
      const { patches } = buildPatches(
        [
          field(button, { kind: 'data', key: 'draft', value: 'x' }),
          field(button, { kind: 'prop', name: 'text', value: 'y' }),
        ],
        { typed: { count: 2, origin: 'socket-1' }, created: new Set() },
      );
      expect(patches).toEqual([
        { s: page.id, v: 0, o: [['set', button.id, 'text', 'y']], src: 'socket-1', t: 1 },
      ]);
    });

    it('marks nothing when the typed values came without a socket (over REST)', () => {
      const { page, button } = pageWithBoard();
      const { patches } = buildPatches(
        [field(button, { kind: 'prop', name: 'text', value: 'y' })],
        { typed: { count: 1 }, created: new Set() },
      );
      expect(patches).toEqual([{ s: page.id, v: 0, o: [['set', button.id, 'text', 'y']] }]);
    });
  });

  describe('after the commit', () => {
    it('logs each patch without its scope and version, leaving out what it lacks', () => {
      const log = patchLog([
        { s: 'page', v: 0, o: [] },
        {
          s: 'board',
          v: 0,
          o: [['ins', 'board', -1, 'n1']],
          n: [{ i: 'n1', t: 'span', p: { text: 'hi' } }],
          src: 'socket-1',
          t: 1,
        },
      ]);
      expect(log).toEqual([
        { scope: 'page', body: '{"o":[]}' },
        {
          scope: 'board',
          body: '{"o":[["ins","board",-1,"n1"]],"n":[{"i":"n1","t":"span","p":{"text":"hi"}}],"src":"socket-1","t":1}',
        },
      ]);
    });

    it('numbers the patches with the versions the commit gave, leaving out scopes without one', () => {
      const built: ScopePatch[] = [
        { s: 'page', v: 0, o: [] },
        { s: 'gone', v: 0, o: [] },
        { s: 'board', v: 0, o: [['rm', 'board', 'x']] },
      ];
      const numbered = numberedPatches(built, { page: 4, board: 9 });
      expect(numbered).toEqual([
        { s: 'page', v: 4, o: [] },
        { s: 'board', v: 9, o: [['rm', 'board', 'x']] },
      ]);
      expect(JSON.stringify(numbered[0])).toBe('{"s":"page","v":4,"o":[]}');
      expect(built.map((p) => p.v)).toEqual([0, 0, 0]);
    });
  });
});
