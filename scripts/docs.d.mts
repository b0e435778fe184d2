export interface GeneratedPart {
  page: string;
  begin: string;
  end: string;
  render: (source: unknown) => string;
}
export const GENERATED: GeneratedPart[];
export const SOURCES: { policies: string; markdown: string };
export function splice(text: string, part: GeneratedPart, body: string): string;
export function pages(source: unknown, root: string): { page: string; current: string; wanted: string }[];
