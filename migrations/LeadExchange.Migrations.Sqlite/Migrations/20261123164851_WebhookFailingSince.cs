using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadExchange.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class WebhookFailingSince : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "FailingSince",
                table: "BuyerWebhooks",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FailingSince",
                table: "BuyerWebhooks");
        }
    }
}
