import { Component } from './component';
import {
  A,
  Button,
  Div,
  H1,
  H2,
  H3,
  H4,
  H5,
  H6,
  Icon,
  Img,
  Input,
  Option,
  P,
  Pre,
  Select,
  Span,
  Textarea,
} from './html';
import {
  QBadge,
  QBtn,
  QCard,
  QCheckbox,
  QComponent,
  QEditor,
  QIcon,
  QInput,
  QRadio,
  QSelect,
  QSlider,
  QTable,
  QToggle,
} from './quasar';
import { WebPage } from './web-page';
import { Checkbox, Fieldset, Form, Label, Legend, Radio } from './forms';
import { Timer } from './timer';
import { Chart } from './chart';
import { Upload } from './upload';
import * as elements from './html-elements';

/** What the registry needs of a component class: its stored name, its prototype and its tag. */
export type ComponentClass = Pick<typeof Component, 'typeName' | 'tagFor' | 'prototype'>;

const types = new Map<string, ComponentClass>();

/**
 * Makes a component class loadable from the store under its `typeName`. Built-in
 * components are registered already; register your own subclasses once at start-up.
 */
export function registerComponentType(ctor: ComponentClass): void {
  const existing = types.get(ctor.typeName);
  if (existing && existing !== ctor) {
    throw new Error(
      `component type "${ctor.typeName}" is registered twice; give one another typeName`,
    );
  }
  types.set(ctor.typeName, ctor);
}

/** @internal The class of a stored type name. */
export function componentClass(typeName: string): ComponentClass {
  const ctor = types.get(typeName);
  if (!ctor)
    throw new Error(`unknown component type "${typeName}": register it with registerComponentType`);
  return ctor;
}

for (const ctor of [
  Div,
  Span,
  P,
  Pre,
  A,
  Img,
  H1,
  H2,
  H3,
  H4,
  H5,
  H6,
  Button,
  Input,
  Textarea,
  Select,
  Option,
  Icon,
  WebPage,
  QComponent,
  QBtn,
  QCard,
  QBadge,
  QIcon,
  QInput,
  QToggle,
  QCheckbox,
  QRadio,
  QSelect,
  QSlider,
  QEditor,
  QTable,
  Form,
  Label,
  Fieldset,
  Legend,
  Checkbox,
  Radio,
  Timer,
  Chart,
  Upload,
  ...Object.values(elements),
]) {
  registerComponentType(ctor);
}
