from campaigns.charts import HEIGHT, LEFT, TOP, WIDTH, line_chart


def test_points_span_the_plot_and_scale_to_a_round_top():
    chart = line_chart([("1 Sep", 67), ("8 Sep", 100), ("15 Sep", 146)])
    xs = [x for x, _y, _v, _l in chart.dots]
    ys = [y for _x, y, _v, _l in chart.dots]
    assert xs[0] == LEFT and xs[-1] == chart.right_edge
    assert ys[0] > ys[1] > ys[2] >= TOP  # higher values sit higher up
    assert [value for _y, value in chart.gridlines] == [0, 50, 100, 150, 200]
    assert chart.points.count(",") == 3


def test_a_single_week_and_an_empty_history_still_draw():
    single = line_chart([("1 Sep", 0)])
    assert len(single.dots) == 1 and single.width == WIDTH and single.height == HEIGHT
    assert line_chart([]).points == ""
