import { Component } from '../model/component';
import { ClientNode, clientNodeOf } from '../model/serialize';

/** A component and everything below it that is loaded, depth first. */
export function* walk(root: Component): Generator<Component> {
  const stack = [root];
  const seen = new Set<Component>();
  while (stack.length > 0) {
    const c = stack.pop() as Component;
    if (seen.has(c)) continue;
    seen.add(c);
    yield c;
    if (c._s.children)
      for (let i = c._s.children.length - 1; i >= 0; i--) stack.push(c._s.children[i]);
  }
}

/** Client nodes of a subtree, parents first. */
export function nodesOf(root: Component): ClientNode[] {
  return [...walk(root)].map(clientNodeOf);
}
