function render(el, comment, answer) {
  // ruleid: CG-CORE033
  el.innerHTML = `<p>${comment.body}</p>`;
  // ruleid: CG-CORE033
  el.innerHTML += answer;
  // ruleid: CG-CORE033
  document.write(comment.html);
  // ruleid: CG-CORE033
  el.insertAdjacentHTML("beforeend", answer);
  // ok: CG-CORE033
  el.innerHTML = "";
  // ok: CG-CORE033
  el.textContent = answer;
  // ok: CG-CORE033
  el.innerHTML = "<em>loading</em>";
  // ok: CG-CORE033
  el.insertAdjacentHTML("beforeend", "<hr>");
}

function Answer({ html }) {
  // ruleid: CG-CORE033
  return <div dangerouslySetInnerHTML={{ __html: html }} />;
}

function Static() {
  // ok: CG-CORE033
  return <div dangerouslySetInnerHTML={{ __html: "<b>hi</b>" }} />;
}

function Themed({ theme }) {
  return (
    // ok: CG-CORE033
    <style dangerouslySetInnerHTML={{ __html: `:root { --brand: ${theme.brandColor} }` }} />
  );
}
