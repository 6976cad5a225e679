/**
 * Why an image could not be had. Thrown inside the image stage, turned into a
 * placeholder plus one warning per reference by src/stages/resolve-images.ts.
 */
import type { RuleIds } from '../diagnostics/rules.js';

export type ImageRuleId = RuleIds<'image-unreachable' | 'image-invalid' | 'image-refused' | 'image-too-large' | 'image-uncached'>;

export class ImageProblem extends Error {
  readonly ruleId: ImageRuleId;
  /** Short reason shown on the placeholder, e.g. "unreachable (ENOTFOUND)". */
  readonly reason: string;
  /** Size of the image when known (partial header, cache). */
  width?: number;
  height?: number;

  constructor(ruleId: ImageRuleId, reason: string, size?: { width: number; height: number }) {
    super(reason);
    this.name = 'ImageProblem';
    this.ruleId = ruleId;
    this.reason = reason;
    if (size) {
      this.width = size.width;
      this.height = size.height;
    }
  }
}

export function isImageProblem(value: unknown): value is ImageProblem {
  return value instanceof ImageProblem;
}
