import { Component, ComponentData, ComponentOptions } from './component';
// Common HTML elements without props of their own: text, classes, attrs and children only.

/** `<ul>`: a list; add {@link Li} children. */
export class Ul<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Ul';
  static override readonly tag: string = 'ul';

  constructor(options: ComponentOptions<D, Ul<D>> = {}) {
    super(options);
  }
}

/** `<ol>`: a numbered list; add {@link Li} children. */
export class Ol<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Ol';
  static override readonly tag: string = 'ol';

  constructor(options: ComponentOptions<D, Ol<D>> = {}) {
    super(options);
  }
}

/** `<li>`: an item of a {@link Ul} or {@link Ol}. */
export class Li<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Li';
  static override readonly tag: string = 'li';

  constructor(options: ComponentOptions<D, Li<D>> = {}) {
    super(options);
  }
}

/** `<table>`: add {@link Thead}, {@link Tbody} or {@link Tr} children. */
export class Table<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Table';
  static override readonly tag: string = 'table';

  constructor(options: ComponentOptions<D, Table<D>> = {}) {
    super(options);
  }
}

/** `<thead>`: the head rows of a {@link Table}. */
export class Thead<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Thead';
  static override readonly tag: string = 'thead';

  constructor(options: ComponentOptions<D, Thead<D>> = {}) {
    super(options);
  }
}

/** `<tbody>`: the body rows of a {@link Table}. */
export class Tbody<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Tbody';
  static override readonly tag: string = 'tbody';

  constructor(options: ComponentOptions<D, Tbody<D>> = {}) {
    super(options);
  }
}

/** `<tr>`: a table row. */
export class Tr<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Tr';
  static override readonly tag: string = 'tr';

  constructor(options: ComponentOptions<D, Tr<D>> = {}) {
    super(options);
  }
}

/** `<th>`: a header cell (`attrs: { colspan: 2 }` spans columns). */
export class Th<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Th';
  static override readonly tag: string = 'th';

  constructor(options: ComponentOptions<D, Th<D>> = {}) {
    super(options);
  }
}

/** `<td>`: a cell (`attrs: { colspan: 2 }` spans columns). */
export class Td<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Td';
  static override readonly tag: string = 'td';

  constructor(options: ComponentOptions<D, Td<D>> = {}) {
    super(options);
  }
}

/** `<section>`: a section of a page. */
export class Section<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Section';
  static override readonly tag: string = 'section';

  constructor(options: ComponentOptions<D, Section<D>> = {}) {
    super(options);
  }
}

/** `<header>`: a page's or section's header. */
export class Header<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Header';
  static override readonly tag: string = 'header';

  constructor(options: ComponentOptions<D, Header<D>> = {}) {
    super(options);
  }
}

/** `<footer>`: a page's or section's footer. */
export class Footer<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Footer';
  static override readonly tag: string = 'footer';

  constructor(options: ComponentOptions<D, Footer<D>> = {}) {
    super(options);
  }
}

/** `<nav>`: navigation links. */
export class Nav<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Nav';
  static override readonly tag: string = 'nav';

  constructor(options: ComponentOptions<D, Nav<D>> = {}) {
    super(options);
  }
}

/** `<main>`: the page's main content. */
export class Main<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Main';
  static override readonly tag: string = 'main';

  constructor(options: ComponentOptions<D, Main<D>> = {}) {
    super(options);
  }
}

/** `<article>`: a self-contained piece of content. */
export class Article<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Article';
  static override readonly tag: string = 'article';

  constructor(options: ComponentOptions<D, Article<D>> = {}) {
    super(options);
  }
}

/** `<aside>`: content beside the main content. */
export class Aside<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Aside';
  static override readonly tag: string = 'aside';

  constructor(options: ComponentOptions<D, Aside<D>> = {}) {
    super(options);
  }
}

/** `<strong>`: important text. */
export class Strong<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Strong';
  static override readonly tag: string = 'strong';

  constructor(options: ComponentOptions<D, Strong<D>> = {}) {
    super(options);
  }
}

/** `<em>`: emphasized text. */
export class Em<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Em';
  static override readonly tag: string = 'em';

  constructor(options: ComponentOptions<D, Em<D>> = {}) {
    super(options);
  }
}

/** `<code>`: a piece of code. */
export class Code<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Code';
  static override readonly tag: string = 'code';

  constructor(options: ComponentOptions<D, Code<D>> = {}) {
    super(options);
  }
}

/** `<small>`: side comments, fine print. */
export class Small<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Small';
  static override readonly tag: string = 'small';

  constructor(options: ComponentOptions<D, Small<D>> = {}) {
    super(options);
  }
}

/** `<hr>`: a thematic break (no content). */
export class Hr<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Hr';
  static override readonly tag: string = 'hr';

  constructor(options: ComponentOptions<D, Hr<D>> = {}) {
    super(options);
  }
}

/** `<br>`: a line break (no content). */
export class Br<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Br';
  static override readonly tag: string = 'br';

  constructor(options: ComponentOptions<D, Br<D>> = {}) {
    super(options);
  }
}
