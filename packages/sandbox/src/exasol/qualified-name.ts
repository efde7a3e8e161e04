/** A schema-qualified object name, as stored (folded or quoted case kept). */
export interface QualifiedName {
  readonly schema: string;
  readonly name: string;
}
