// The ops console's little JavaScript: nothing needs it, it only saves typing.
document.addEventListener("DOMContentLoaded", () => {
  // "选用此事项" (a candidate) and "选用" (a catalog search result) fill the decision form with that catalog code;
  // without scripts the search result's link reloads the page with the code filled in.
  for (const button of document.querySelectorAll("button.pick, a.pick")) {
    button.addEventListener("click", (event) => {
      const input = document.getElementById("catalogCode");
      if (input) { event.preventDefault(); input.value = button.dataset.code; input.focus(); }
    });
  }
  // "返回上一页" without inline script (the content security policy forbids it).
  for (const link of document.querySelectorAll("a[data-back]")) {
    link.addEventListener("click", (event) => { event.preventDefault(); history.back(); });
  }
  // Ask before actions that change what goes to the province.
  for (const button of document.querySelectorAll("#requeue-all")) {
    button.addEventListener("click", (event) => { if (!confirm("确定将全部投递失败的记录重新入队？")) event.preventDefault(); });
  }
});
