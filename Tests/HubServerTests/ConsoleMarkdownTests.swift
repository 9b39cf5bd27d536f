import Testing

@testable import HubServer

/// The help page's Markdown: the few forms docs/CONSOLE.md uses, everything escaped.
@Suite struct ConsoleMarkdownTests {
    @Test func headingsGetGitHubStyleIds() {
        #expect(ConsoleMarkdown.html("## Sign-in, sessions, roles") == "<h2 id=\"sign-in-sessions-roles\">Sign-in, sessions, roles</h2>")
        #expect(ConsoleMarkdown.html("### 映射审核") == "<h3 id=\"映射审核\">映射审核</h3>")
        #expect(ConsoleMarkdown.anchors("# A b\ntext\n## 期限看板\n#nope") == ["a-b", "期限看板"])
    }

    @Test func paragraphsListsTablesAndCode() {
        let md = "one\ntwo\n\n- a `x<y>`\n  more\n- **b**\n\n| p | q |\n| --- | --- |\n| `1` | 2 |\n\n```\n<b>&\n```"
        #expect(
            ConsoleMarkdown.html(md) == """
                <p>one two</p>
                <ul><li>a <code>x&lt;y&gt;</code> more</li><li><strong>b</strong></li></ul>
                <div class="scroll"><table class="list"><thead><tr><th>p</th><th>q</th></tr></thead><tbody><tr><td data-label="p"><code>1</code></td><td data-label="q">2</td></tr></tbody></table></div>
                <pre><code>&lt;b&gt;&amp;</code></pre>
                """
        )
    }

    @Test func markupAndUnpairedMarkersStayText() {
        #expect(
            ConsoleMarkdown.html("<script>alert('x')</script> {{user}}")
                == "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &#123;&#123;user&#125;&#125;</p>"
        )
        #expect(ConsoleMarkdown.html("a ` b ** c") == "<p>a ` b ** c</p>")
        #expect(ConsoleMarkdown.html("**x** and **y") == "<p><strong>x</strong> and **y</p>")
        #expect(ConsoleMarkdown.row("| `a.csv|xlsx` | b |") == ["`a.csv|xlsx`", "b"])
    }
}
