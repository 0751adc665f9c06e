import type { ReactNode } from 'react';

/**
 * A notice or the terms, as text: `## ` starts a heading, `- ` a list item, a blank line a new
 * paragraph. Everything else is shown as it is written; nothing is ever read as HTML.
 */
export function NoticeText({ text, headingLevel = 3 }: { text: string; headingLevel?: 3 | 4 }) {
  const blocks = text.split(/\n{2,}/).map((block) => block.trim()).filter((block) => block !== '');
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <div className="notice-text">
      {blocks.map((block, index): ReactNode => {
        if (block.startsWith('## ')) return <Heading key={index}>{block.slice(3)}</Heading>;
        const lines = block.split('\n');
        if (lines.every((line) => line.startsWith('- '))) {
          return (
            <ul key={index}>
              {lines.map((line, item) => <li key={item}>{line.slice(2)}</li>)}
            </ul>
          );
        }
        return <p key={index}>{block}</p>;
      })}
    </div>
  );
}
