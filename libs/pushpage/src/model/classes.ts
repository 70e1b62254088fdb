/**
 * Tailwind-aware class editing, as JustPy's `set_class`: a new class replaces the
 * class of the same utility group (`bg-red-500` replaces `bg-blue-500`).
 */

const VARIANT_SEPARATOR = ':';

/** Split a class string into distinct class names, keeping order. */
export function splitClasses(classes: string): string[] {
  return [...new Set(classes.split(/\s+/).filter((c) => c.length > 0))];
}

function variantOf(cls: string): string {
  const i = cls.lastIndexOf(VARIANT_SEPARATOR);
  return i < 0 ? '' : cls.slice(0, i + 1);
}

const COLOR_NAMES =
  /^(slate|gray|zinc|neutral|stone|red|orange|amber|yellow|lime|green|emerald|teal|cyan|sky|blue|indigo|violet|purple|fuchsia|pink|rose|black|white|transparent|current|inherit)(-\d+)?(\/\d+)?$/;

const TEXT_SIZES = /^(xs|sm|base|lg|xl|\dxl)$/;

/**
 * The group a utility belongs to: two classes of one group cannot both apply.
 * `text-red-500` and `text-lg` are different groups; `p-2` and `p-4` the same.
 */
export function classGroup(cls: string): string {
  const variant = variantOf(cls);
  const utility = cls.slice(variant.length).replace(/^-/, '');
  const dash = utility.indexOf('-');
  if (dash < 0) return variant + utility;
  const prefix = utility.slice(0, dash);
  const rest = utility.slice(dash + 1);
  if (prefix === 'text' || prefix === 'bg' || prefix === 'border' || prefix === 'ring') {
    if (COLOR_NAMES.test(rest)) return `${variant}${prefix}-color`;
    if (prefix === 'text' && TEXT_SIZES.test(rest)) return `${variant}text-size`;
  }
  if (
    prefix === 'font' &&
    /^(thin|extralight|light|normal|medium|semibold|bold|extrabold|black)$/.test(rest)
  ) {
    return `${variant}font-weight`;
  }
  return variant + prefix;
}

/** Replace the class of the same group as `cls` (or add it). */
export function setClass(classes: string, cls: string): string {
  const group = classGroup(cls);
  const kept = splitClasses(classes).filter((c) => classGroup(c) !== group);
  return [...kept, cls].join(' ');
}

/** `setClass` for each class of a space-separated list. */
export function setClasses(classes: string, list: string): string {
  return splitClasses(list).reduce(setClass, classes);
}

/** Remove one class name. */
export function removeClass(classes: string, cls: string): string {
  return splitClasses(classes)
    .filter((c) => c !== cls)
    .join(' ');
}
