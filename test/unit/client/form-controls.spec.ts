import { controlValueOf, isCheckable, valueProps } from '../../../client/src/form-controls';

describe('form controls in a tab', () => {
  const checkbox = { t: 'input', p: { type: 'checkbox', value: true } };
  const radio = { t: 'input', p: { type: 'radio', name: 'size', choice: 'l' } };
  const text = { t: 'input', p: { value: 'typed' } };

  it('sends whether a checkbox or radio button is checked, not its value attribute', () => {
    expect(isCheckable(checkbox)).toBe(true);
    expect(isCheckable(radio)).toBe(true);
    expect(isCheckable(text)).toBe(false);
    expect(controlValueOf(checkbox, { value: 'on', checked: false } as never)).toBe(false);
    expect(controlValueOf(radio, { value: 'l', checked: true } as never)).toBe(true);
    expect(controlValueOf(text, { value: 'Ada', checked: false } as never)).toBe('Ada');
    expect(controlValueOf(text, null)).toBe('');
  });

  it('shows a checkable’s value as checked, and a radio button’s choice as its value', () => {
    expect(valueProps(checkbox)).toEqual({ checked: true });
    expect(valueProps(radio)).toEqual({ checked: false, value: 'l' });
    expect(valueProps(text)).toEqual({ value: 'typed' });
    expect(valueProps({ t: 'textarea', p: {} })).toEqual({ value: '' });
  });
});
