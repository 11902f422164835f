using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadExchange.Migrations.PostgreSql.Migrations
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
                type: "timestamp with time zone",
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
