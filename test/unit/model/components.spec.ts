import {
  A,
  Button,
  DEFAULT_MAX_TEXT_LENGTH,
  ChildrenNotLoadedError,
  DetachedComponentError,
  Div,
  handler,
  Icon,
  Input,
  P,
  Span,
  Textarea,
  WebPage,
} from '../../../libs/pushpage/src';
import { clientNodeOf, toStoredComponent } from '../../../libs/pushpage/src/model/serialize';

/** Named here: no handler registry runs in these tests to name it after a provider's field. */
const clicked = handler('Handlers.clicked', () => undefined);

describe('components', () => {
  it('have defaults that read as JustPy', () => {
    const d = new Div();
    expect([d.text, d.classes, d.style, d.show, d.animation, d.innerHtml, d.deleteFlag]).toEqual([
      '',
      '',
      '',
      true,
      '',
      '',
      true,
    ]);
  });

  it('take their options, including the parent (JustPy a=)', () => {
    const wp = new WebPage({ title: 'T' });
    const s = new Span({ text: 'x', classes: 'm-1', style: 'color: red', show: false, parent: wp });
    expect(wp.children).toEqual([s]);
    expect(clientNodeOf(s)).toEqual({
      i: s.id,
      t: 'span',
      p: { text: 'x', classes: 'm-1', style: 'color: red', show: false },
    });
  });

  it('give pages unguessable ids and components short unique ones', () => {
    expect(new WebPage().id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const ids = new Set(Array.from({ length: 1000 }, () => new Div().id));
    expect(ids.size).toBe(1000);
  });

  it('insert at an index and append, moving a component that had another parent', () => {
    const a = new Div();
    const b = new Div();
    const [x, y, z] = [new P(), new P(), new P()];
    a.add(x, y);
    a.addComponent(z, 0);
    expect(a.children).toEqual([z, x, y]);
    b.add(x);
    expect(a.children).toEqual([z, y]);
    expect(b.children).toEqual([x]);
    a.remove(z);
    expect(a.children).toEqual([y]);
  });

  it('refuse to contain themselves', () => {
    const d = new Div();
    expect(() => d.add(d)).toThrow(/cannot contain itself/);
  });

  it('bind handlers by name, and refuse unknown ones at binding time', () => {
    const b = new Button({ click: clicked });
    expect(b.handlerFor('click')).toBe('Handlers.clicked');
    // what the compiler refuses (see test/types), refused at run time too, as for JavaScript
    expect(() => b.on('click', (() => undefined) as never)).toThrow(/not registered/);
    expect(() =>
      b.on(
        'click',
        handler(() => undefined),
      ),
    ).toThrow(/not registered/);
    expect(() => b.on('click', 'Nope.missing' as never)).toThrow(/unknown handler "Nope.missing"/);
    expect(clientNodeOf(b).e).toEqual(['click']);
  });

  it('keep custom data, component references included', () => {
    const t = new Textarea({ placeholder: 'Enter message here' });
    const b = new Button<{ message: Textarea; count: number }>({ data: { count: 2 } });
    b.data.message = t;
    expect(b.data.message).toBe(t);
    expect(b.data.count).toBe(2);
    expect(Object.keys(b.data)).toEqual(['count', 'message']);
    const stored = toStoredComponent(b);
    expect(stored.fields['d:message']).toBe(JSON.stringify({ $ref: t.id }));
    expect(stored.fields['d:count']).toBe('2');
  });

  it('refuse custom data that is not JSON', () => {
    const d = new Div<{ f: unknown }>();
    expect(() => {
      d.data.f = () => 1;
    }).toThrow(/not JSON/);
  });

  it('take text from a tab up to their maxLength, 10,000 characters unless set', () => {
    const box = new Textarea();
    expect(box.maxLength).toBe(DEFAULT_MAX_TEXT_LENGTH);
    expect(box.acceptValue('x'.repeat(DEFAULT_MAX_TEXT_LENGTH))).toHaveLength(10_000);
    expect(() => box.acceptValue('x'.repeat(DEFAULT_MAX_TEXT_LENGTH + 1))).toThrow(
      expect.objectContaining({ code: 'too-large' }),
    );
    const field = new Input({ maxLength: 5 });
    expect(clientNodeOf(field).p.maxlength).toBe(5);
    expect(field.acceptValue('12345')).toBe('12345');
    expect(() => field.acceptValue('123456')).toThrow(/at most 5 characters, not 6/);
    expect(() => new Input({ maxLength: -1 })).toThrow(RangeError);
  });

  it('mark form controls with the event that carries their value', () => {
    expect(clientNodeOf(new Input({ value: 'v' })).v).toBe('input');
    expect(clientNodeOf(new Textarea()).v).toBe('input');
  });

  it('refuse script URLs and odd icon names', () => {
    expect(() => new A({ href: 'javascript:alert(1)' })).toThrow(/script URLs/);
    expect(new A({ href: '/clock' }).href).toBe('/clock');
    expect(() => new Icon({ icon: 'x" onload="1' })).toThrow(/not a Font Awesome icon name/);
  });

  it('store shared components with their flag, and non-shared ones with their parent', () => {
    const shared = new Div({ deleteFlag: false });
    const child = new P({ parent: shared });
    expect(toStoredComponent(shared)).toMatchObject({
      scope: true,
      parent: null,
      fields: { 'm:shared': 'true' },
    });
    expect(toStoredComponent(child).parent).toBe(shared.id);
  });

  it('say clearly when an update has nowhere to go', async () => {
    await expect(new Div().update()).rejects.toBeInstanceOf(DetachedComponentError);
  });

  it('name the problem when children were not loaded', () => {
    expect(new ChildrenNotLoadedError('abc').message).toMatch(
      /loadChildren|add\/insert\/remove work/,
    );
  });
});

describe('attributes and HTML that could run script', () => {
  it('refuses event handler attributes and script URLs when set', () => {
    expect(() => new Div({ attrs: { onclick: 'steal()' } })).toThrow(/event handler/);
    expect(() => new Div({ attrs: { OnMouseOver: 'steal()' } })).toThrow(/event handler/);
    expect(() => new Div({ attrs: { 'bad name': 'x' } })).toThrow(/refused attribute/);
    expect(() => new Div({ attrs: { href: ' javascript:steal()' } })).toThrow(/script URLs/);
    expect(new Div({ attrs: { title: 'fine', 'data-x': 1, 'aria-label': 'ok' } }).attrs).toEqual({
      title: 'fine',
      'data-x': 1,
      'aria-label': 'ok',
    });
  });

  it('keeps trusted HTML apart from HTML the tab sanitizes', () => {
    const div = new Div({ innerHtml: '<b>x</b>', unsafeInnerHtml: '<i>y</i>' });
    expect(div.innerHtml).toBe('<b>x</b>');
    expect(div.unsafeInnerHtml).toBe('<i>y</i>');
  });
});
