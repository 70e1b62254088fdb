import {
  QBtn,
  QComponent,
  QEditor,
  QInput,
  QSelect,
  QSlider,
  QToggle,
  QuasarPage,
  PushpageError,
} from '../../../libs/pushpage/src';
import { clientNodeOf } from '../../../libs/pushpage/src/model/serialize';

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return error instanceof PushpageError ? error.code : 'error';
  }
  return 'accepted';
}

describe('Quasar components', () => {
  it('render as their q- tag with their props, slot and value event', () => {
    const page = new QuasarPage({ title: 't' });
    const btn = new QBtn({ label: 'Send', color: 'primary', icon: 'send', parent: page });
    const chip = new QComponent({
      tag: 'q-chip',
      props: { icon: 'bookmark', color: 'teal' },
      slot: 'append',
      text: 'Saved',
      parent: page,
    });
    const toggle = new QToggle({ label: 'On', value: true, parent: page });
    expect(clientNodeOf(page).p.quasar).toBe(true);
    expect(clientNodeOf(btn)).toMatchObject({
      t: 'q-btn',
      p: { label: 'Send', color: 'primary', icon: 'send' },
    });
    expect(clientNodeOf(chip)).toMatchObject({
      t: 'q-chip',
      p: { icon: 'bookmark', color: 'teal', slot: 'append', text: 'Saved' },
    });
    expect(clientNodeOf(toggle)).toMatchObject({ t: 'q-toggle', v: 'change', p: { value: true } });
    expect(clientNodeOf(new QInput({ value: 'x' }))).toMatchObject({ t: 'q-input', v: 'input' });
  });

  it('refuse props that would be listeners or clash with Pushpage, and tags that are not Quasar', () => {
    expect(() => new QBtn({ props: { onClick: 'alert(1)' } })).toThrow(/cannot be a Quasar prop/);
    expect(() => new QBtn({ props: { text: 'x' } })).toThrow(/cannot be a Quasar prop/);
    expect(() => new QBtn().setQuasarProp('__proto__', 1)).toThrow(/cannot be a Quasar prop/);
    expect(() => new QComponent({ tag: 'script' })).toThrow(/not a Quasar tag/);
    expect(() => new QComponent({ tag: 'q-chip', slot: 'Bad Slot' })).toThrow(/not a slot name/);
  });

  it('accept from a tab only values the control can hold', () => {
    const toggle = new QToggle();
    expect(toggle.value).toBe(false);
    expect(toggle.acceptValue(true)).toBe(true);
    expect(refusal(() => toggle.acceptValue('yes'))).toBe('bad-request');

    const slider = new QSlider({ min: 0, max: 10 });
    expect(slider.value).toBe(0);
    expect(slider.acceptValue(7)).toBe(7);
    expect(refusal(() => slider.acceptValue(11))).toBe('bad-request');
    expect(refusal(() => slider.acceptValue('7'))).toBe('bad-request');

    const select = new QSelect({ options: ['red', { label: 'Green', value: 'g' }] });
    expect(select.value).toBeNull();
    expect(select.acceptValue('g')).toBe('g');
    expect(refusal(() => select.acceptValue('blue'))).toBe('bad-request');
    expect(refusal(() => select.acceptValue(['red']))).toBe('bad-request');
    const several = new QSelect({ options: [1, 2, 3], multiple: true });
    expect(several.value).toEqual([]);
    expect(several.acceptValue([1, 3])).toEqual([1, 3]);
    expect(refusal(() => several.acceptValue([4]))).toBe('bad-request');

    const input = new QInput();
    expect(input.acceptValue(null)).toBe('');
    expect(refusal(() => input.acceptValue(true))).toBe('bad-request');
    const short = new QInput({ maxLength: 3 });
    expect(clientNodeOf(short).p.maxlength).toBe(3);
    expect(short.acceptValue('abc')).toBe('abc');
    expect(refusal(() => short.acceptValue('abcd'))).toBe('too-large');
  });

  it('make the editor collaborative unless asked not to, and then take no plain values', () => {
    const shared = new QEditor({ kitchenSink: true, height: '94vh', value: '<p>hi</p>' });
    expect(shared.collaborative).toBe(true);
    expect(clientNodeOf(shared).p).toMatchObject({
      collab: true,
      kitchenSink: true,
      height: '94vh',
    });
    expect(refusal(() => shared.acceptValue('<p>x</p>'))).toBe('bad-request');
    const plain = new QEditor({ collaborative: false });
    expect(plain.collaborative).toBe(false);
    expect(plain.acceptValue('<p>x</p>')).toBe('<p>x</p>');
  });
});
