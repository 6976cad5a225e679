/**
 * A depth-first walk over elements with their ancestors (the visitor may return 'skip'), for the
 * chapter clean-up and the id repairs that prepare a chapter before epub-gen-memory gets it.
 */
import type { Element, Root } from 'hast';

export type Ancestors = ReadonlyArray<Element | Root>;
export type ElementVisitor = (node: Element, ancestors: Ancestors) => 'skip' | undefined | void;

export function visitElements(root: Root | Element, visitor: ElementVisitor): void {
  const ancestors: Array<Element | Root> = [];
  const walk = (parent: Root | Element): void => {
    ancestors.push(parent);
    for (const child of [...parent.children]) {
      if (child.type !== 'element') continue;
      if (visitor(child, ancestors) === 'skip') continue;
      walk(child);
    }
    ancestors.pop();
  };
  walk(root);
}
