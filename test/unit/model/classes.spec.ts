import { removeClass, setClass, setClasses } from '../../../libs/pushpage/src';

describe('Tailwind-aware classes', () => {
  it('replaces the class of the same group', () => {
    expect(setClass('m-2 bg-blue-500 text-lg', 'bg-red-500')).toBe('m-2 text-lg bg-red-500');
    expect(setClass('p-2 m-1', 'p-4')).toBe('m-1 p-4');
  });

  it('keeps text colour and text size apart', () => {
    expect(setClass('text-red-600 text-6xl', 'text-red-500')).toBe('text-6xl text-red-500');
    expect(setClass('text-red-600 text-6xl', 'text-xl')).toBe('text-red-600 text-xl');
  });

  it('keeps variants apart from the base class', () => {
    expect(setClass('bg-white hover:bg-red-200', 'hover:bg-blue-200')).toBe(
      'bg-white hover:bg-blue-200',
    );
  });

  it('sets several at once, as the countdown does', () => {
    expect(
      setClasses(
        'text-center m-4 p-4 text-6xl text-red-600 bg-blue-500 faster',
        'text-red-500 bg-white',
      ),
    ).toBe('text-center m-4 p-4 text-6xl faster text-red-500 bg-white');
  });

  it('removes one class', () => {
    expect(removeClass('a b c', 'b')).toBe('a c');
    expect(removeClass('a b', 'z')).toBe('a b');
  });
});
