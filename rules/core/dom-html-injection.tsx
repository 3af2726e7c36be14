type Props = { markdown: string };

export function Preview({ markdown }: Props) {
  // ruleid: CG-CORE033
  return <article dangerouslySetInnerHTML={{ __html: markdown }} />;
}

export function Empty() {
  // ok: CG-CORE033
  return <article>{"<b>escaped</b>"}</article>;
}
