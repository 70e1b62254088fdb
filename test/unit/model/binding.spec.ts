import { A, Checkbox, Div, Input, QSlider, QToggle, WebPage } from '../../../libs/pushpage/src';
import { applyBinding } from '../../../libs/pushpage/src/model/binding';
import { PushpageError } from '../../../libs/pushpage/src/errors';

describe('value bindings', () => {
  it('binds a control to a property of its value type, or to a data key', () => {
    const label = new Div();
    expect(new Input().bindValue(label, 'text').binding).toEqual({ to: label.id, prop: 'text' });
    expect(new QToggle().bindValue(label, 'show').binding).toEqual({ to: label.id, prop: 'show' });
    const page = new WebPage<{ volume: number }>();
    expect(new QSlider().bindData(page, 'volume').binding).toEqual({ to: page.id, data: 'volume' });
  });

  it('refuses, at run time too, what the types refuse', () => {
    const label = new Div();
    const input = new Input();
    type Unchecked = { bindValue(target: Div, prop: string): Input };
    const unchecked = input as unknown as Unchecked;
    expect(() => unchecked.bindValue(label, 'unsafeInnerHtml')).toThrow(
      /cannot be bound to unsafeInnerHtml/,
    );
    expect(() => unchecked.bindValue(label, 'id')).toThrow(/cannot be bound to id/);
    expect(() => unchecked.bindValue(label, 'nothing')).toThrow(/cannot be bound to nothing/);
    expect(() => input.bindValue(input as never, 'text' as never)).toThrow(/to itself/);
    expect(input.binding).toBeUndefined();
  });

  it('writes a value through the target’s own setter, and refuses what the setter refuses', () => {
    const link = new A({ href: '/start' });
    applyBinding(link, { to: link.id, prop: 'href' }, '/next');
    expect(link.href).toBe('/next');
    expect(() => applyBinding(link, { to: link.id, prop: 'href' }, 'javascript:alert(1)')).toThrow(
      PushpageError,
    );
    expect(link.href).toBe('/next');
    const panel = new Div<{ agreed: boolean }>();
    applyBinding(panel, { to: panel.id, data: 'agreed' }, true);
    expect(panel.data.agreed).toBe(true);
    expect(new Checkbox().bindValue(panel, 'show').binding).toMatchObject({ prop: 'show' });
  });
});
